import { ValidationError, type Clock, type WebhookDeliveryLog, type WebhookSubscriptionRepository, type WebhookOwner } from '@pushline/domain';
import { requireWebhookSubscription } from './require-webhook-subscription.js';

/** Sends every failed delivery of a subscription created since `since` again; answers how many. */
export class RedeliverFailedWebhooks {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryLog,
    private readonly clock: Clock,
    private readonly onQueued: () => void = () => {},
  ) {}

  async execute(input: { owner: WebhookOwner; subscriptionId: string; since: Date }): Promise<{ queued: number }> {
    const now = this.clock.now();
    if (Number.isNaN(input.since.getTime()) || input.since > now) throw new ValidationError('since', 'since must be a time in the past');
    await requireWebhookSubscription(this.subscriptions, input.owner, input.subscriptionId);
    const queued = await this.deliveries.redeliverFailedSince(input.owner.appId, input.subscriptionId, input.since, now);
    if (queued > 0) this.onQueued();
    return { queued };
  }
}
