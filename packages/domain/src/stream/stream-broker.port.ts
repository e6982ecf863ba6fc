import type { StreamEntry } from './stream-entry.js';

/**
 * Fans committed stream entries out to every API instance (the broker side). Not to be confused with
 * `EventBus.publish`, which appends a use case's events to the outbox inside its transaction: the relay
 * fans out only what that made durable. Delivery is at-least-once.
 */
export interface StreamFanOut {
  fanOut(entries: readonly StreamEntry[]): Promise<void>;
}

export type StreamListener = (entry: StreamEntry) => void;

/** Receives the entries every instance fans out. A throwing listener never affects the others. */
export interface StreamSubscriber {
  /** Returns a function that removes the listener. */
  subscribe(listener: StreamListener): () => void;
}
