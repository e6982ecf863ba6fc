import type { WebhookSubscription, WebhookSubscriptionSnapshot } from './webhook-subscription.js';

export interface WebhookPageQuery {
  readonly limit: number;
  /** `nextCursor` of the previous page. */
  readonly after?: string;
}

export interface WebhookPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** The app a request acts for, and its tenant (from the credential): together they scope its subscriptions. */
export interface WebhookOwner {
  readonly tenantId: string;
  readonly appId: string;
}

/**
 * Subscriptions, always looked up within their owner (the app) and its tenant: another app's id, or
 * the same app id under another tenant, finds nothing.
 */
export interface WebhookSubscriptionRepository {
  add(subscription: WebhookSubscription): Promise<void>;
  /** Stores the subscription's current state; false when it no longer exists under its owner and tenant. */
  save(subscription: WebhookSubscription): Promise<boolean>;
  find(owner: WebhookOwner, id: string): Promise<WebhookSubscription | null>;
  /**
   * The operator's lookup, across owners and tenants: only for `ADMIN_TOKEN` routes that name a
   * subscription alone (the operator acts for every tenant, so there is no tenant to filter on).
   */
  findForOperator(id: string): Promise<WebhookSubscription | null>;
  /** Oldest first, so a page boundary never moves when subscriptions are added. */
  list(owner: WebhookOwner, page: WebhookPageQuery): Promise<WebhookPage<WebhookSubscriptionSnapshot>>;
  count(owner: WebhookOwner): Promise<number>;
  /** Removes the subscription with its deliveries; false when there was none. */
  remove(owner: WebhookOwner, id: string): Promise<boolean>;
}
