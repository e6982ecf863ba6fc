import {
  ChannelSendError,
  type ChannelDelivery,
  type ChannelDeliveryRepository,
  type ChannelSendObserver,
  type ChannelSendOutcome,
  type ChannelSkipReason,
  type Clock,
  type Notification,
  type NotificationRepository,
  type OutboundChannel,
} from '@pushline/domain';
import { channelMessageOf } from './channel-message.js';
import type { ChannelSenderRegistry } from './channel-sender-registry.js';

export interface SendDueChannelMessagesOptions {
  /** Records claimed per run (with the rest of their digests). Default 50. */
  readonly batchSize?: number;
  /** How long claimed records stay leased to this worker. Default 60 s. */
  readonly leaseMs?: number;
  /** Attempts before a record is `failed` for good (`CHANNEL_MAX_ATTEMPTS`). Default 6. */
  readonly maxAttempts?: number;
  /** First retry delay, doubled per attempt (`CHANNEL_RETRY_BASE_MS`). Default 5 s. */
  readonly baseBackoffMs?: number;
  /** Default 1 h. */
  readonly maxBackoffMs?: number;
}

export type ChannelRunSummary = Readonly<Record<ChannelSendOutcome, number>>;

/**
 * Sends the due send records once, at `now` (the worker's clock; tests pass a controlled time). One
 * message per record, or one per digest. Before sending, a notification read or seen on a device (or
 * deleted, expired) meanwhile is skipped. Each message is sent in isolation: one channel failing is
 * retried with exponential backoff and never holds back another; a `ChannelSendError` that is not
 * retryable, or the last attempt, makes it `failed`.
 */
export class SendDueChannelMessages {
  private readonly options: Required<SendDueChannelMessagesOptions>;

  constructor(
    private readonly deliveries: ChannelDeliveryRepository,
    private readonly notifications: Pick<NotificationRepository, 'findById'>,
    private readonly senders: ChannelSenderRegistry,
    private readonly clock: Clock,
    options: SendDueChannelMessagesOptions = {},
    private readonly observer: ChannelSendObserver = { onSend: () => {} },
  ) {
    this.options = { batchSize: 50, leaseMs: 60_000, maxAttempts: 6, baseBackoffMs: 5000, maxBackoffMs: 3_600_000, ...options };
  }

  /** The delay before attempt `attempts + 1`: base · 2^(attempts − 1), capped. */
  backoffMs(attempts: number): number {
    return Math.min(this.options.baseBackoffMs * 2 ** Math.max(attempts - 1, 0), this.options.maxBackoffMs);
  }

  async execute(now: Date = this.clock.now()): Promise<ChannelRunSummary> {
    const claimed = await this.deliveries.claimDue(now, this.options.batchSize, new Date(now.getTime() + this.options.leaseMs));
    const groups = new Map<string, ChannelDelivery[]>();
    for (const d of claimed) groups.set(d.digestKey ?? d.id, [...(groups.get(d.digestKey ?? d.id) ?? []), d]);
    const summary: Record<ChannelSendOutcome, number> = { sent: 0, retry: 0, failed: 0, skipped: 0 };
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const [outcome, count] of await this.sendGroup(group, now)) summary[outcome] += count;
      }),
    );
    return summary;
  }

  private async sendGroup(group: readonly ChannelDelivery[], now: Date): Promise<[ChannelSendOutcome, number][]> {
    const channel = group[0]!.channel;
    const found = await Promise.all(group.map(async (d) => ({ d, n: await this.notifications.findById(d.notificationId) })));
    const skipped = new Map<ChannelSkipReason, string[]>();
    const live: { d: ChannelDelivery; n: Notification }[] = [];
    for (const { d, n } of found) {
      const reason = n ? skipReasonOf(n, now) : 'deleted';
      if (reason) skipped.set(reason, [...(skipped.get(reason) ?? []), d.id]);
      else live.push({ d, n: n! });
    }
    const outcomes: [ChannelSendOutcome, number][] = [];
    for (const [reason, ids] of skipped) {
      await this.deliveries.markSkipped(ids, reason, this.clock.now());
      outcomes.push(['skipped', ids.length]);
    }
    if (live.length === 0) return this.report(channel, outcomes);

    const ids = live.map(({ d }) => d.id);
    const attempt = Math.max(...live.map(({ d }) => d.attempts.length)) + 1;
    const sender = this.senders.get(channel);
    try {
      if (!sender) throw new ChannelSendError(`no sender is registered for channel ${channel}`, false);
      await sender.send(channelMessageOf(channel, live.map(({ n }) => n)));
    } catch (error) {
      const retryable = !(error instanceof ChannelSendError) || error.retryable;
      const last = !retryable || attempt >= this.options.maxAttempts;
      const at = this.clock.now();
      const retryAt = last ? null : new Date(at.getTime() + this.backoffMs(attempt));
      await this.deliveries.recordFailure(ids, errorText(error), retryAt, at);
      outcomes.push([last ? 'failed' : 'retry', ids.length]);
      return this.report(channel, outcomes);
    }
    // Outside the try: a record that cannot be marked is sent again once its lease ends (at-least-once),
    // never counted as a failed send.
    await this.deliveries.markSent(ids, this.clock.now());
    outcomes.push(['sent', ids.length]);
    return this.report(channel, outcomes);
  }

  private report(channel: OutboundChannel, outcomes: [ChannelSendOutcome, number][]): [ChannelSendOutcome, number][] {
    for (const [outcome, count] of outcomes) this.observer.onSend(channel, outcome, count);
    return outcomes;
  }
}

/** Why a record is not sent any more: the user saw it on a device, or it left the inbox. */
function skipReasonOf(notification: Notification, now: Date): ChannelSkipReason | null {
  const s = notification.toSnapshot();
  if (s.deletedAt) return 'deleted';
  if (notification.isExpired(now)) return 'expired';
  if (s.seenAt || s.readAt || s.clickedAt) return 'read_on_device';
  if (s.archivedAt) return 'archived';
  return null;
}

/** The error kept with the attempt: the message only, bounded (never a stack or a credential). */
function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
