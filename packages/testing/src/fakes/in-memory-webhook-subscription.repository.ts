import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  WebhookSubscription,
  type WebhookPage,
  type WebhookOwner,
  type WebhookPageQuery,
  type WebhookStatusEvent,
  type WebhookStatusLog,
  type WebhookSubscriptionRepository,
  type WebhookSubscriptionSnapshot,
} from '@pushline/domain';

const ownedBy = (s: WebhookSubscriptionSnapshot, owner: WebhookOwner): boolean => s.owner === owner.appId && s.tenantId === owner.tenantId;

const oldestFirst = (a: WebhookSubscriptionSnapshot, b: WebhookSubscriptionSnapshot) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Subscriptions in a map, scoped by owner and tenant like the SQL adapter; also their status log. */
export class InMemoryWebhookSubscriptionRepository implements WebhookSubscriptionRepository, WebhookStatusLog {
  readonly rows = new Map<string, WebhookSubscriptionSnapshot>();
  readonly statusEvents: WebhookStatusEvent[] = [];

  async add(subscription: WebhookSubscription): Promise<void> {
    const s = subscription.toSnapshot();
    if (this.rows.has(s.id)) throw new Error(`subscription ${s.id} exists`);
    this.rows.set(s.id, s);
  }

  async save(subscription: WebhookSubscription): Promise<boolean> {
    const s = subscription.toSnapshot();
    const stored = this.rows.get(s.id);
    if (!stored || stored.owner !== s.owner || stored.tenantId !== s.tenantId) return false;
    this.rows.set(s.id, { ...s, createdAt: stored.createdAt });
    return true;
  }

  async find(owner: WebhookOwner, id: string): Promise<WebhookSubscription | null> {
    const row = this.rows.get(id);
    return row && ownedBy(row, owner) ? WebhookSubscription.restore(row) : null;
  }

  async findForOperator(id: string): Promise<WebhookSubscription | null> {
    const row = this.rows.get(id);
    return row ? WebhookSubscription.restore(row) : null;
  }

  async list(owner: WebhookOwner, page: WebhookPageQuery): Promise<WebhookPage<WebhookSubscriptionSnapshot>> {
    const after = page.after ? decodeNotificationCursor(page.after, 'cursor') : undefined;
    const mine = [...this.rows.values()]
      .filter((s) => ownedBy(s, owner))
      .sort(oldestFirst)
      .filter((s) => !after || oldestFirst(s, { ...s, createdAt: after.createdAt, id: after.id }) > 0);
    const items = mine.slice(0, page.limit);
    const last = items.at(-1);
    return { items, nextCursor: mine.length > page.limit && last ? encodeNotificationCursor(last) : null };
  }

  async count(owner: WebhookOwner): Promise<number> {
    return [...this.rows.values()].filter((s) => ownedBy(s, owner)).length;
  }

  async remove(owner: WebhookOwner, id: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || !ownedBy(row, owner)) return false;
    this.rows.delete(id);
    return true;
  }

  async disable(event: WebhookStatusEvent): Promise<boolean> {
    const row = this.rows.get(event.subscriptionId);
    if (!row?.enabled) return false;
    this.rows.set(row.id, { ...row, enabled: false, disabledReason: event.reason, updatedAt: event.time });
    this.statusEvents.push(event);
    return true;
  }

  async record(event: WebhookStatusEvent): Promise<void> {
    this.statusEvents.push(event);
  }

  async events(owner: string, subscriptionId: string, limit: number): Promise<readonly WebhookStatusEvent[]> {
    if (this.rows.get(subscriptionId)?.owner !== owner) return [];
    return this.statusEvents.filter((e) => e.subscriptionId === subscriptionId).reverse().slice(0, limit);
  }

  async failing(limit: number): Promise<readonly WebhookSubscriptionSnapshot[]> {
    return [...this.rows.values()]
      .filter((s) => s.consecutiveFailures > 0)
      .sort((a, b) => b.consecutiveFailures - a.consecutiveFailures || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }
}
