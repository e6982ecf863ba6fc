import { NotFoundError, type Clock, type WebhookDeliveryLog, type WebhookSubscriptionRepository, type WebhookOwner } from '@pushline/domain';
import { requireWebhookSubscription } from './require-webhook-subscription.js';

/** Sends one delivery again now (same `webhook-id`), whatever its status; after `onQueued` the worker is nudged. */
export class RedeliverWebhook {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryLog,
    private readonly clock: Clock,
    private readonly onQueued: () => void = () => {},
  ) {}

  async execute(input: { owner: WebhookOwner; subscriptionId: string; deliveryId: string }): Promise<void> {
    await requireWebhookSubscription(this.subscriptions, input.owner, input.subscriptionId);
    if (!(await this.deliveries.redeliver(input.owner.appId, input.subscriptionId, input.deliveryId, this.clock.now()))) {
      throw new NotFoundError('delivery', input.deliveryId);
    }
    this.onQueued();
  }
}
