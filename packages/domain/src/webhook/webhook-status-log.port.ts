import type { WebhookStatusEvent } from './webhook-delivery.js';
import type { WebhookSubscriptionSnapshot } from './webhook-subscription.js';

/** Why a subscription stopped or started again: what the app reads on its status endpoint. */
export interface WebhookStatusLog {
  /**
   * Disables an enabled subscription and records `event` in one step; false (and nothing recorded)
   * when it was already disabled, so two workers disabling at once tell the app once.
   */
  disable(event: WebhookStatusEvent): Promise<boolean>;
  record(event: WebhookStatusEvent): Promise<void>;
  /** Newest first. */
  events(owner: string, subscriptionId: string, limit: number): Promise<readonly WebhookStatusEvent[]>;
  /** Subscriptions disabled by failures or failing now, most failures first (operators' view). */
  failing(limit: number): Promise<readonly WebhookSubscriptionSnapshot[]>;
}
