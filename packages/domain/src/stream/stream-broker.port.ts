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

/** One user's entries reaching this subscriber, for as long as it is held. */
export interface StreamInterestLease {
  /**
   * Resolves once entries of the user fanned out from now on reach the listeners (a Redis SUBSCRIBE
   * was acknowledged), or once waiting is pointless (the broker is disconnected: it resyncs every
   * device when it is back). Never rejects.
   */
  readonly ready: Promise<void>;
  /** Ends this interest; idempotent. */
  release(): void;
}

/**
 * Lets a subscriber receive only the users it holds devices of (a sharded broker subscribes to a
 * user's shard on the first device and unsubscribes after the last). The hub watches a user before
 * replaying its log, so nothing fanned out between the replay and the subscription is missed.
 */
export interface StreamInterest {
  watch(userId: string): StreamInterestLease;
}

const HELD: StreamInterestLease = { ready: Promise.resolve(), release: () => {} };

/** For a subscriber that already receives every user's entries (one process, the in-memory broker). */
export const EVERY_USER_INTEREST: StreamInterest = { watch: () => HELD };
