import type { StreamEntry } from './stream-entry.js';
import type { StreamListener } from './stream-broker.port.js';

/**
 * The listeners of one broker: what every `StreamSubscriber` adapter needs the same way. Each entry
 * reaches every listener; one that throws is reported and never stops the others.
 */
export class StreamListeners {
  private readonly listeners = new Set<StreamListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Returns the function that removes it. The same function may be added twice, independently. */
  add(listener: StreamListener): () => void {
    const wrapped: StreamListener = (entry) => listener(entry);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  dispatch(entries: readonly StreamEntry[]): void {
    for (const entry of entries) {
      for (const listener of this.listeners) {
        try {
          listener(entry);
        } catch (error) {
          this.onListenerError(error);
        }
      }
    }
  }
}
