import type { OutboundChannel } from './channel-sender.port.js';

/** `pending` (waiting for its grace period, digest window or a retry) · `sent` · `failed` (for good) · `skipped`. */
export const CHANNEL_DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type ChannelDeliveryStatus = (typeof CHANNEL_DELIVERY_STATUSES)[number];

/** Why a delivery was skipped: read (or seen) on a device within the grace period, or gone from the inbox. */
export type ChannelSkipReason = 'read_on_device' | 'deleted' | 'expired' | 'archived';

export interface ChannelAttempt {
  readonly at: Date;
  /** Null for the attempt that succeeded. */
  readonly error: string | null;
}

/** One notification on one outbound channel: the send record (unique per notification and channel). */
export interface ChannelDelivery {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly notificationId: string;
  readonly channel: OutboundChannel;
  readonly category: string;
  readonly status: ChannelDeliveryStatus;
  readonly reason: string | null;
  /** Deliveries with one key go out as one digest message; null for a message of its own. */
  readonly digestKey: string | null;
  readonly attempts: readonly ChannelAttempt[];
  /** When the worker may take it (pending only). */
  readonly nextAttemptAt: Date | null;
  readonly sentAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type NewChannelDelivery = Pick<ChannelDelivery, 'id' | 'tenantId' | 'userId' | 'notificationId' | 'channel' | 'category' | 'digestKey'> & {
  readonly nextAttemptAt: Date;
  readonly createdAt: Date;
};

export interface ChannelDeliveryQuery {
  readonly tenantId?: string;
  readonly userId?: string;
  readonly notificationId?: string;
  readonly channel?: OutboundChannel;
  readonly status?: ChannelDeliveryStatus;
  readonly limit: number;
}

/** The send records, as the dispatch handler writes them and the channel worker takes them. */
export interface ChannelDeliveryRepository {
  /** Adds pending records; one that exists for (notification, channel) is left as it is. Returns how many were new. */
  add(deliveries: readonly NewChannelDelivery[]): Promise<number>;
  /**
   * Leases up to `limit` due pending records until `leaseUntil`, with the other pending records of
   * their digests, so one worker sends a digest whole; other instances skip leased rows.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<readonly ChannelDelivery[]>;
  markSent(ids: readonly string[], now: Date): Promise<void>;
  markSkipped(ids: readonly string[], reason: ChannelSkipReason, now: Date): Promise<void>;
  /** Records a failed attempt: pending again at `retryAt`, or `failed` for good when that is null. */
  recordFailure(ids: readonly string[], error: string, retryAt: Date | null, now: Date): Promise<void>;
  /** Newest first; every filter given narrows it (the owner's view passes tenant, user and notification). */
  list(query: ChannelDeliveryQuery): Promise<readonly ChannelDelivery[]>;
  /**
   * Removes up to `limit` settled records (not pending) last changed before `before` whose notification
   * no longer exists (e.g. removed by the per-user cap); resolves to how many. The retention job's batch.
   */
  purgeOrphaned(before: Date, limit: number): Promise<number>;
}

/**
 * The digest a delivery belongs to: windows are aligned to the epoch (`floor(t / window)`), so every
 * instance and every retry of the dispatch handler agrees on the key without coordination.
 */
export function digestWindowOf(createdAt: Date, windowMs: number): { readonly start: Date; readonly end: Date } {
  const start = Math.floor(createdAt.getTime() / windowMs) * windowMs;
  return { start: new Date(start), end: new Date(start + windowMs) };
}

export function digestKeyOf(userId: string, channel: OutboundChannel, category: string, windowStart: Date): string {
  return `${userId}:${channel}:${category}:${windowStart.toISOString()}`;
}

export type ChannelSendOutcome = 'sent' | 'retry' | 'failed' | 'skipped';

/** Told about every send record settled or retried (metrics); must not throw. */
export interface ChannelSendObserver {
  onSend(channel: OutboundChannel, outcome: ChannelSendOutcome, records: number): void;
}
