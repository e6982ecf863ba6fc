import type { WebhookDeliveryLog, WebhookDeliveryView, WebhookPage, WebhookSubscriptionRepository, WebhookOwner } from '@pushline/domain';
import { checkWebhookPageLimit, requireWebhookSubscription } from './require-webhook-subscription.js';

/** A subscription's delivery log, newest first, with every attempt. */
export class ListWebhookDeliveries {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryLog,
  ) {}

  async execute(input: { owner: WebhookOwner; subscriptionId: string; limit?: number; after?: string }): Promise<WebhookPage<WebhookDeliveryView>> {
    const limit = checkWebhookPageLimit(input.limit);
    await requireWebhookSubscription(this.subscriptions, input.owner, input.subscriptionId);
    return this.deliveries.list(input.owner.appId, input.subscriptionId, { limit, ...(input.after && { after: input.after }) });
  }
}
