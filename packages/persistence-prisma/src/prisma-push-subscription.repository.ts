import type { PushSubscription, PushSubscriptionOwner, PushSubscriptionRepository, SavedPushSubscription } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';

interface Row {
  id: string;
  tenantId: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  expirationTime: Date | null;
  createdAt: Date;
}

const toSubscription = (r: Row): PushSubscription => ({
  id: r.id,
  tenantId: r.tenantId,
  userId: r.userId,
  endpoint: r.endpoint,
  p256dh: r.p256dh,
  auth: r.auth,
  expirationTime: r.expirationTime,
  createdAt: r.createdAt,
});

/** `push_subscriptions`; every query names the tenant and the user. */
export class PrismaPushSubscriptionRepository implements PushSubscriptionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async save(subscription: PushSubscription, maxPerUser: number): Promise<SavedPushSubscription> {
    const { tenantId, userId, endpoint } = subscription;
    return this.prisma.$transaction(async (tx) => {
      // The user's row lock queues this user's concurrent saves, so the count below stays true until commit.
      await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId} AND tenant_id = ${tenantId} FOR UPDATE`;
      const existing = await tx.pushSubscription.findFirst({ where: { tenantId, userId, endpoint } });
      const keys = { p256dh: subscription.p256dh, auth: subscription.auth, expirationTime: subscription.expirationTime, updatedAt: new Date() };
      if (existing) {
        const renewed = await tx.pushSubscription.update({ where: { id: existing.id }, data: keys });
        return { kind: 'renewed', subscription: toSubscription(renewed) };
      }
      if ((await tx.pushSubscription.count({ where: { tenantId, userId } })) >= maxPerUser) return { kind: 'limit_reached' };
      const created = await tx.pushSubscription.create({
        data: { id: subscription.id, tenantId, userId, endpoint, createdAt: subscription.createdAt, ...keys, updatedAt: subscription.createdAt },
      });
      return { kind: 'created', subscription: toSubscription(created) };
    });
  }

  async forUser(owner: PushSubscriptionOwner): Promise<readonly PushSubscription[]> {
    const rows = await this.prisma.pushSubscription.findMany({
      where: { tenantId: owner.tenantId, userId: owner.userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toSubscription);
  }

  async remove(owner: PushSubscriptionOwner, endpoint: string): Promise<boolean> {
    const { count } = await this.prisma.pushSubscription.deleteMany({ where: { tenantId: owner.tenantId, userId: owner.userId, endpoint } });
    return count > 0;
  }
}
