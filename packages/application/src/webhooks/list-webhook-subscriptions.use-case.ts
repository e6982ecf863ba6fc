import type { WebhookPage, WebhookSubscriptionRepository, WebhookSubscriptionSnapshot, WebhookOwner } from '@pushline/domain';
import { checkWebhookPageLimit } from './require-webhook-subscription.js';

/** An app's subscriptions, oldest first, one page at a time. */
export class ListWebhookSubscriptions {
  constructor(private readonly subscriptions: WebhookSubscriptionRepository) {}

  async execute(input: { owner: WebhookOwner; limit?: number; after?: string }): Promise<WebhookPage<WebhookSubscriptionSnapshot>> {
    const limit = checkWebhookPageLimit(input.limit);
    return this.subscriptions.list(input.owner, { limit, ...(input.after && { after: input.after }) });
  }
}
