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
  /**
   * Set on an entry of a tenant's shared broadcast stream: the tenant's id. `cursor` is then the
   * tenant stream's, and `userId` is empty (the entry is for every user of the tenant).
   */
  readonly tenantStream?: string;
  /**
   * The id a device is given for this entry when it is not `cursor` alone: a device that reads its
   * tenant's stream beside its own gets `<personal>.<tenant>` (see `formatStreamPosition`).
   */
  readonly resumeId?: string;
}

/** Cursor of every ephemeral entry: no position in the stream. */
export const EPHEMERAL_CURSOR = 0;
