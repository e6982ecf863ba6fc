import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  type DomainEvent,
  type ReplayedWebhookDelivery,
  type WebhookDeliveryLog,
  type WebhookDeliveryView,
  type WebhookPage,
  type WebhookPageQuery,
} from '@pushline/domain';
import type { InMemoryWebhookDeliveryRow, InMemoryWebhookQueue } from './in-memory-webhook-queue.js';
import type { InMemoryWebhookSubscriptionRepository } from './in-memory-webhook-subscription.repository.js';

const newestFirst = (a: InMemoryWebhookDeliveryRow, b: InMemoryWebhookDeliveryRow) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The delivery log over the in-memory queue's rows, scoped by the subscriptions' owners like the SQL adapter. */
export class InMemoryWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(
    private readonly queue: InMemoryWebhookQueue,
    private readonly subscriptions: InMemoryWebhookSubscriptionRepository,
  ) {}

  async list(owner: string, subscriptionId: string, page: WebhookPageQuery): Promise<WebhookPage<WebhookDeliveryView>> {
    if (!this.owns(owner, subscriptionId)) return { items: [], nextCursor: null };
    const before = page.after ? decodeNotificationCursor(page.after, 'cursor') : undefined;
    const rows = this.rowsOf(subscriptionId)
      .sort(newestFirst)
      .filter((r) => !before || newestFirst(r, { ...r, createdAt: before.createdAt, id: before.id }) > 0);
    const items = rows.slice(0, page.limit).map(
      (r): WebhookDeliveryView => ({
        id: r.id,
        subscriptionId: r.subscriptionId,
        eventId: r.eventId,
        eventType: r.eventType,
        status: r.status,
        replay: r.replay,
        createdAt: r.createdAt,
        nextAttemptAt: r.nextAttemptAt,
        attempts: [...r.attempts],
      }),
    );
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeNotificationCursor(last) : null };
  }

  async redeliver(owner: string, subscriptionId: string, deliveryId: string, now: Date): Promise<boolean> {
    const row = this.queue.rows.get(deliveryId);
    if (!row || row.subscriptionId !== subscriptionId || !this.owns(owner, subscriptionId)) return false;
    // A delivery being sent right now keeps its lease.
    if (row.leaseUntil && row.leaseUntil >= now) return false;
    Object.assign(row, { status: 'pending', attemptCount: 0, nextAttemptAt: now });
    return true;
  }

  async redeliverFailedSince(owner: string, subscriptionId: string, since: Date, now: Date): Promise<number> {
    if (!this.owns(owner, subscriptionId)) return 0;
    const failed = this.rowsOf(subscriptionId).filter((r) => r.status === 'failed' && r.createdAt >= since);
    for (const row of failed) Object.assign(row, { status: 'pending', attemptCount: 0, nextAttemptAt: now });
    return failed.length;
  }

  async replay(subscriptionId: string, events: readonly DomainEvent[], now: Date): Promise<readonly ReplayedWebhookDelivery[] | null> {
    if (!this.subscriptions.rows.has(subscriptionId)) return null;
    // No truncation here: the fake's events stay far below the payload limit.
    return events.map((event) => ({ eventId: event.id, deliveryId: this.queue.enqueue(subscriptionId, JSON.stringify(event), now, event, true) }));
  }

  private owns(owner: string, subscriptionId: string): boolean {
    return this.subscriptions.rows.get(subscriptionId)?.owner === owner;
  }

  private rowsOf(subscriptionId: string): InMemoryWebhookDeliveryRow[] {
    return [...this.queue.rows.values()].filter((r) => r.subscriptionId === subscriptionId);
  }
}
