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

/** Subscriptions, always looked up within their owner (the app): another app's id finds nothing. */
export interface WebhookSubscriptionRepository {
  add(subscription: WebhookSubscription): Promise<void>;
  /** Stores the subscription's current state; false when it no longer exists. */
  save(subscription: WebhookSubscription): Promise<boolean>;
  find(owner: string, id: string): Promise<WebhookSubscription | null>;
  /** The operator's lookup, across owners: only for `ADMIN_TOKEN` routes that name a subscription alone. */
  findForOperator(id: string): Promise<WebhookSubscription | null>;
  /** Oldest first, so a page boundary never moves when subscriptions are added. */
  list(owner: string, page: WebhookPageQuery): Promise<WebhookPage<WebhookSubscriptionSnapshot>>;
  count(owner: string): Promise<number>;
  /** Removes the subscription with its deliveries; false when there was none. */
  remove(owner: string, id: string): Promise<boolean>;
}
