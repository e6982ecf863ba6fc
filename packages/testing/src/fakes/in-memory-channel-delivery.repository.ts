import type {
  ChannelAttempt,
  ChannelDelivery,
  ChannelDeliveryQuery,
  ChannelDeliveryRepository,
  ChannelDeliveryStatus,
  ChannelSkipReason,
  NewChannelDelivery,
} from '@pushline/domain';

type Row = ChannelDelivery & { lockedUntil: Date | null };

/** The send records in a map, with the database's rules (unique per notification and channel, leases, digests). */
export class InMemoryChannelDeliveryRepository implements ChannelDeliveryRepository {
  readonly rows = new Map<string, Row>();

  /** `notificationExists` stands for the notifications table (none by default: every record is an orphan). */
  constructor(private readonly notificationExists: (notificationId: string) => boolean = () => false) {}

  async add(deliveries: readonly NewChannelDelivery[]): Promise<number> {
    let added = 0;
    for (const d of deliveries) {
      if (this.rows.has(d.id) || [...this.rows.values()].some((r) => r.notificationId === d.notificationId && r.channel === d.channel)) continue;
      this.rows.set(d.id, { ...d, status: 'pending', reason: null, attempts: [], sentAt: null, updatedAt: d.createdAt, lockedUntil: null });
      added += 1;
    }
    return added;
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<readonly ChannelDelivery[]> {
    const free = (r: Row) => r.status === 'pending' && (!r.lockedUntil || r.lockedUntil <= now);
    const due = [...this.rows.values()]
      .filter((r) => free(r) && r.nextAttemptAt !== null && r.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt!.getTime() - b.nextAttemptAt!.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    const ids = new Set(due.map((r) => r.id));
    const digests = new Set(due.flatMap((r) => (r.digestKey ? [r.digestKey] : [])));
    const claimed = [...this.rows.values()].filter((r) => free(r) && (ids.has(r.id) || (r.digestKey !== null && digests.has(r.digestKey))));
    for (const r of claimed) this.rows.set(r.id, { ...r, lockedUntil: leaseUntil, updatedAt: now });
    return claimed.map((r) => this.view(r.id)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async markSent(ids: readonly string[], now: Date): Promise<void> {
    this.settle(ids, 'sent', null, null, now, { at: now, error: null });
  }

  async markSkipped(ids: readonly string[], reason: ChannelSkipReason, now: Date): Promise<void> {
    this.settle(ids, 'skipped', reason, null, now, null);
  }

  async recordFailure(ids: readonly string[], error: string, retryAt: Date | null, now: Date): Promise<void> {
    this.settle(ids, retryAt ? 'pending' : 'failed', retryAt ? null : error, retryAt, now, { at: now, error });
  }

  async list(query: ChannelDeliveryQuery): Promise<readonly ChannelDelivery[]> {
    return [...this.rows.values()]
      .filter(
        (r) =>
          (!query.tenantId || r.tenantId === query.tenantId) &&
          (!query.userId || r.userId === query.userId) &&
          (!query.notificationId || r.notificationId === query.notificationId) &&
          (!query.channel || r.channel === query.channel) &&
          (!query.status || r.status === query.status),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, query.limit)
      .map((r) => this.view(r.id));
  }

  async purgeOrphaned(before: Date, limit: number): Promise<number> {
    const gone = [...this.rows.values()]
      .filter((r) => r.status !== 'pending' && r.updatedAt < before && !this.notificationExists(r.notificationId))
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const r of gone) this.rows.delete(r.id);
    return gone.length;
  }

  private settle(ids: readonly string[], status: ChannelDeliveryStatus, reason: string | null, nextAttemptAt: Date | null, now: Date, attempt: ChannelAttempt | null): void {
    for (const id of ids) {
      const r = this.rows.get(id);
      if (!r) continue;
      this.rows.set(id, {
        ...r,
        status,
        reason,
        nextAttemptAt,
        lockedUntil: null,
        updatedAt: now,
        sentAt: status === 'sent' ? now : null,
        attempts: attempt ? [...r.attempts, attempt] : r.attempts,
      });
    }
  }

  private view(id: string): ChannelDelivery {
    const { lockedUntil: _lease, ...delivery } = this.rows.get(id)!;
    return delivery;
  }
}
