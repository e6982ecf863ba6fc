import type { WebhookSubscriptionRepository, WebhookSubscriptionSnapshot, WebhookOwner } from '@pushline/domain';
import { requireWebhookSubscription } from './require-webhook-subscription.js';

export class GetWebhookSubscription {
  constructor(private readonly subscriptions: WebhookSubscriptionRepository) {}

  async execute(input: { owner: WebhookOwner; id: string }): Promise<WebhookSubscriptionSnapshot> {
    return (await requireWebhookSubscription(this.subscriptions, input.owner, input.id)).toSnapshot();
  }
}
