import { randomUUID } from 'node:crypto';
import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  WEBHOOK_LIMITS,
  type DomainEvent,
  type ReplayedWebhookDelivery,
  type WebhookDeliveryLog,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookPage,
  type WebhookPageQuery,
} from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { webhookPayload } from './webhook-outbox.js';

export class PrismaWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPayloadBytes: number = WEBHOOK_LIMITS.payloadMaxBytes,
  ) {}

  async list(owner: string, subscriptionId: string, page: WebhookPageQuery): Promise<WebhookPage<WebhookDeliveryView>> {
    const before = page.after ? decodeNotificationCursor(page.after, 'cursor') : undefined;
    const rows = await this.prisma.webhookDelivery.findMany({
      where: {
        subscriptionId,
        subscription: { owner },
        ...(before && { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      include: { attempts: { orderBy: { seq: 'asc' } } },
    });
    const items = rows.slice(0, page.limit).map(
      (r): WebhookDeliveryView => ({
        id: r.id,
        subscriptionId: r.subscriptionId,
        eventId: r.eventId,
        eventType: r.eventType,
        status: r.status as WebhookDeliveryStatus,
        replay: r.replay,
        createdAt: r.createdAt,
        nextAttemptAt: r.nextAttemptAt,
        attempts: r.attempts.map((a) => ({ at: a.at, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, responseBody: a.responseBody })),
      }),
    );
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeNotificationCursor(last) : null };
  }

  async redeliver(owner: string, subscriptionId: string, deliveryId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.webhookDelivery.updateMany({
      where: { id: deliveryId, subscriptionId, subscription: { owner }, ...notLeasedAt(now) },
      data: { status: 'pending', attemptCount: 0, nextAttemptAt: now },
    });
    return count === 1;
  }

  async redeliverFailedSince(owner: string, subscriptionId: string, since: Date, now: Date): Promise<number> {
    const { count } = await this.prisma.webhookDelivery.updateMany({
      where: { subscriptionId, subscription: { owner }, status: 'failed', createdAt: { gte: since } },
      data: { status: 'pending', attemptCount: 0, nextAttemptAt: now },
    });
    return count;
  }

  async replay(subscriptionId: string, events: readonly DomainEvent[], now: Date): Promise<readonly ReplayedWebhookDelivery[] | null> {
    const subscription = await this.prisma.webhookSubscription.findUnique({ where: { id: subscriptionId }, select: { id: true } });
    if (!subscription) return null;
    // A new id per delivery: a replay is meant to be processed again, not dropped as a duplicate.
    const rows = events.map((event) => ({
      id: randomUUID(),
      subscriptionId,
      eventId: event.id,
      eventType: event.type,
      payload: webhookPayload(event, this.maxPayloadBytes),
      replay: true,
      status: 'pending',
      nextAttemptAt: now,
    }));
    if (rows.length > 0) await this.prisma.webhookDelivery.createMany({ data: rows });
    return rows.map((r) => ({ eventId: r.eventId, deliveryId: r.id }));
  }
}

/** A delivery being sent right now keeps its lease; it is not reset under the worker's feet. */
function notLeasedAt(now: Date) {
  return { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
}
