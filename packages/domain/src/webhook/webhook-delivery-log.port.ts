import type { WebhookDeliveryView } from './webhook-delivery.js';
import type { WebhookPage, WebhookPageQuery } from './webhook-subscription.repository.port.js';

/** A subscription's deliveries: read, and sent again on request. Scoped by owner like subscriptions. */
export interface WebhookDeliveryLog {
  /** Newest first. */
  list(owner: string, subscriptionId: string, page: WebhookPageQuery): Promise<WebhookPage<WebhookDeliveryView>>;
  /**
   * Makes one delivery due again at `now` (keeping its id, so receivers dedupe by `webhook-id`), with a
   * fresh attempt budget. False when there is no such delivery or it is being sent right now.
   */
  redeliver(owner: string, subscriptionId: string, deliveryId: string, now: Date): Promise<boolean>;
  /** The same for every failed delivery created at or after `since`; returns how many. */
  redeliverFailedSince(owner: string, subscriptionId: string, since: Date, now: Date): Promise<number>;
  /**
   * Queues the stored events `eventIds` to the subscription again as new deliveries marked as replays.
   * Returns the ids that were queued (events not, or no longer, stored are left out), or null when the
   * subscription does not exist (or is not `owner`'s, when an owner is given).
   */
  replay(target: { subscriptionId: string; owner?: string }, eventIds: readonly string[], now: Date): Promise<readonly string[] | null>;
}
