import { randomUUID } from 'node:crypto';
import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  WEBHOOK_LIMITS,
  type DomainEvent,
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

  async replay(target: { subscriptionId: string; owner?: string }, eventIds: readonly string[], now: Date): Promise<readonly string[] | null> {
    const { subscriptionId, owner } = target;
    const subscription = await this.prisma.webhookSubscription.findFirst({ where: { id: subscriptionId, ...(owner && { owner }) }, select: { id: true } });
    if (!subscription) return null;
    const events = await this.prisma.streamEvent.findMany({
      where: { eventId: { in: [...eventIds] } },
      distinct: ['eventId'],
      orderBy: { seq: 'asc' },
      select: { eventId: true, type: true, envelope: true },
    });
    if (events.length === 0) return [];
    await this.prisma.webhookDelivery.createMany({
      data: events.map((e) => ({
        id: randomUUID(),
        subscriptionId,
        eventId: e.eventId,
        eventType: e.type,
        payload: webhookPayload(e.envelope as unknown as DomainEvent, this.maxPayloadBytes),
        replay: true,
        status: 'pending',
        nextAttemptAt: now,
      })),
    });
    return events.map((e) => e.eventId);
  }
}

/** A delivery being sent right now keeps its lease; it is not reset under the worker's feet. */
function notLeasedAt(now: Date) {
  return { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
}
