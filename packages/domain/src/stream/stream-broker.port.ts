import type { StreamEntry } from './stream-entry.js';

/** Hands committed stream entries to every API instance. Delivery is at-least-once. */
export interface StreamPublisher {
  publish(entries: readonly StreamEntry[]): Promise<void>;
}

export type StreamListener = (entry: StreamEntry) => void;

/** Receives the entries every instance publishes. A throwing listener never affects the others. */
export interface StreamSubscriber {
  /** Returns a function that removes the listener. */
  subscribe(listener: StreamListener): () => void;
}
