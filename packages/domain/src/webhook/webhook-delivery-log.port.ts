import type { DomainEvent } from '../events/domain-event.js';
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
   * Queues `events` (already chosen and checked by the caller) to the subscription again, as new
   * deliveries marked as replays, each with a new id (its `webhook-id`) and the event's CloudEvents
   * envelope as body. Returns one delivery per event, in the order given, or null when the subscription
   * does not exist (any more).
   */
  replay(subscriptionId: string, events: readonly DomainEvent[], now: Date): Promise<readonly ReplayedWebhookDelivery[] | null>;
}

/** A delivery queued by a replay: the event it carries and its new id. */
export interface ReplayedWebhookDelivery {
  readonly eventId: string;
  readonly deliveryId: string;
}
