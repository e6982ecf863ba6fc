import { StreamListeners, type StreamEntry, type StreamListener, type StreamFanOut, type StreamSubscriber } from '@pushline/domain';

/**
 * Hands entries to the listeners of this process, synchronously and in order. Every listener gets the
 * same entry object, so a transport can serialize it once for all devices (see the SSE adapter).
 */
export class InMemoryStreamBroker implements StreamFanOut, StreamSubscriber {
  private readonly listeners: StreamListeners;

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.listeners = new StreamListeners(onListenerError);
  }

  async fanOut(entries: readonly StreamEntry[]): Promise<void> {
    this.listeners.dispatch(entries);
  }

  subscribe(listener: StreamListener): () => void {
    return this.listeners.add(listener);
  }
}
