import type { PushSubscription, PushSubscriptionOwner, PushSubscriptionRepository, SavedPushSubscription } from '@pushline/domain';

const sameOwner = (s: PushSubscriptionOwner, owner: PushSubscriptionOwner) => s.tenantId === owner.tenantId && s.userId === owner.userId;

export class InMemoryPushSubscriptionRepository implements PushSubscriptionRepository {
  readonly rows: PushSubscription[] = [];

  async save(subscription: PushSubscription, maxPerUser: number): Promise<SavedPushSubscription> {
    const index = this.rows.findIndex((s) => sameOwner(s, subscription) && s.endpoint === subscription.endpoint);
    const existing = this.rows[index];
    if (existing) {
      const renewed = { ...existing, p256dh: subscription.p256dh, auth: subscription.auth, expirationTime: subscription.expirationTime };
      this.rows[index] = renewed;
      return { kind: 'renewed', subscription: { ...renewed } };
    }
    if (this.rows.filter((s) => sameOwner(s, subscription)).length >= maxPerUser) return { kind: 'limit_reached' };
    this.rows.push({ ...subscription });
    return { kind: 'created', subscription: { ...subscription } };
  }

  async forUser(owner: PushSubscriptionOwner): Promise<readonly PushSubscription[]> {
    return this.rows.filter((s) => sameOwner(s, owner)).map((s) => ({ ...s }));
  }

  async remove(owner: PushSubscriptionOwner, endpoint: string): Promise<boolean> {
    const index = this.rows.findIndex((s) => sameOwner(s, owner) && s.endpoint === endpoint);
    if (index < 0) return false;
    this.rows.splice(index, 1);
    return true;
  }
}
