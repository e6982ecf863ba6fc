import { NotFoundError, type WebhookSubscriptionRepository, type WebhookOwner } from '@pushline/domain';

/** Removes a subscription and its delivery log; pending deliveries are never sent. */
export class DeleteWebhookSubscription {
  constructor(private readonly subscriptions: WebhookSubscriptionRepository) {}

  async execute(input: { owner: WebhookOwner; id: string }): Promise<void> {
    if (!(await this.subscriptions.remove(input.owner, input.id))) throw new NotFoundError('webhook', input.id);
  }
}
