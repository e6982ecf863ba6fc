import type { StreamEntry, StreamListener, StreamPublisher, StreamSubscriber } from '@pushline/domain';

/**
 * Hands entries to the listeners of this process, synchronously and in order. Every listener gets the
 * same entry object, so a transport can serialize it once for all devices (see the SSE adapter).
 */
export class InMemoryStreamBroker implements StreamPublisher, StreamSubscriber {
  private readonly listeners = new Set<StreamListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  async publish(entries: readonly StreamEntry[]): Promise<void> {
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

  subscribe(listener: StreamListener): () => void {
    // Wrapped so the same function may subscribe twice and unsubscribe independently.
    const wrapped: StreamListener = (entry) => listener(entry);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }
}
