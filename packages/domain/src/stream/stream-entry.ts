import type { DomainEvent } from '../events/domain-event.js';

/**
 * One event in one user's durable stream. `cursor` is gap-free and only grows per user: it becomes the
 * SSE `id:` that a reconnecting device sends back as `Last-Event-ID`.
 *
 * An `ephemeral` entry (an event type with `ephemeral` delivery) is not in the stream at all: it is
 * pushed live, after commit, to the devices connected at that moment. Its `cursor` is 0 and means
 * nothing; transports send it without an id, and sessions deliver it without moving their cursor.
 */
export interface StreamEntry {
  readonly userId: string;
  readonly cursor: number;
  readonly event: DomainEvent;
  readonly ephemeral?: true;
}

/** Cursor of every ephemeral entry: no position in the stream. */
export const EPHEMERAL_CURSOR = 0;
