import type { WebhookStatusEvent, WebhookStatusLog, WebhookSubscriptionSnapshot } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { toWebhookSubscriptionSnapshot } from './prisma-webhook-subscription.repository.js';

export class PrismaWebhookStatusLog implements WebhookStatusLog {
  constructor(private readonly prisma: PrismaClient) {}

  disable(event: WebhookStatusEvent): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.webhookSubscription.updateMany({
        where: { id: event.subscriptionId, enabled: true },
        data: { enabled: false, disabledReason: event.reason, updatedAt: event.time },
      });
      if (count === 0) return false;
      await tx.webhookStatusEvent.create({ data: event });
      return true;
    }, { maxWait: 10_000, timeout: 10_000 });
  }

  async record(event: WebhookStatusEvent): Promise<void> {
    await this.prisma.webhookStatusEvent.create({ data: event });
  }

  async events(owner: string, subscriptionId: string, limit: number): Promise<readonly WebhookStatusEvent[]> {
    const rows = await this.prisma.webhookStatusEvent.findMany({
      where: { subscriptionId, subscription: { owner } },
      orderBy: [{ time: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => ({ id: r.id, type: r.type as WebhookStatusEvent['type'], subscriptionId: r.subscriptionId, reason: r.reason, time: r.time }));
  }

  async failing(limit: number): Promise<readonly WebhookSubscriptionSnapshot[]> {
    const rows = await this.prisma.webhookSubscription.findMany({
      where: { consecutiveFailures: { gt: 0 } },
      orderBy: [{ consecutiveFailures: 'desc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toWebhookSubscriptionSnapshot);
  }
}
