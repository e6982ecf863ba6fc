import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  WebhookSubscription,
  type WebhookPage,
  type WebhookOwner,
  type WebhookPageQuery,
  type WebhookSubscriptionRepository,
  type WebhookSubscriptionSnapshot,
} from '@pushline/domain';
import type { WebhookSubscription as Row } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/** Every lookup by owner also names the tenant (issue #10); only `findForOperator` spans tenants. */
export class PrismaWebhookSubscriptionRepository implements WebhookSubscriptionRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async add(subscription: WebhookSubscription): Promise<void> {
    await this.db.webhookSubscription.create({ data: toRow(subscription.toSnapshot()) });
  }

  async save(subscription: WebhookSubscription): Promise<boolean> {
    const { id, owner, tenantId, createdAt: _createdAt, ...changes } = toRow(subscription.toSnapshot());
    const { count } = await this.db.webhookSubscription.updateMany({ where: { id, owner, tenantId }, data: changes });
    return count === 1;
  }

  async find({ tenantId, appId }: WebhookOwner, id: string): Promise<WebhookSubscription | null> {
    const row = await this.db.webhookSubscription.findFirst({ where: { id, owner: appId, tenantId } });
    return row ? WebhookSubscription.restore(toWebhookSubscriptionSnapshot(row)) : null;
  }

  async findForOperator(id: string): Promise<WebhookSubscription | null> {
    const row = await this.db.webhookSubscription.findUnique({ where: { id } });
    return row ? WebhookSubscription.restore(toWebhookSubscriptionSnapshot(row)) : null;
  }

  async list({ tenantId, appId }: WebhookOwner, page: WebhookPageQuery): Promise<WebhookPage<WebhookSubscriptionSnapshot>> {
    const after = page.after ? decodeNotificationCursor(page.after, 'cursor') : undefined;
    const rows = await this.db.webhookSubscription.findMany({
      where: {
        owner: appId,
        tenantId,
        ...(after && { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: page.limit + 1,
    });
    const items = rows.slice(0, page.limit).map(toWebhookSubscriptionSnapshot);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeNotificationCursor(last) : null };
  }

  count({ tenantId, appId }: WebhookOwner): Promise<number> {
    return this.db.webhookSubscription.count({ where: { owner: appId, tenantId } });
  }

  async remove({ tenantId, appId }: WebhookOwner, id: string): Promise<boolean> {
    const { count } = await this.db.webhookSubscription.deleteMany({ where: { id, owner: appId, tenantId } });
    return count === 1;
  }
}

export function toWebhookSubscriptionSnapshot(row: Row): WebhookSubscriptionSnapshot {
  return {
    id: row.id,
    owner: row.owner,
    tenantId: row.tenantId,
    url: row.url,
    eventTypes: row.eventTypes,
    userIds: row.userIds,
    description: row.description,
    enabled: row.enabled,
    secret: row.secret,
    previousSecret: row.previousSecret,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    consecutiveFailures: row.consecutiveFailures,
    failingSince: row.failingSince,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toRow(s: WebhookSubscriptionSnapshot) {
  return { ...s, eventTypes: [...s.eventTypes], userIds: [...s.userIds] };
}
