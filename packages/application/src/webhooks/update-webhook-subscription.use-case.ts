import {
  parseWebhookEventTypes,
  type Clock,
  type EventTypeRegistry,
  type IdGenerator,
  type WebhookDestinationCheck,
  type WebhookStatusLog,
  type WebhookSubscriptionChanges,
  type WebhookSubscriptionRepository,
  type WebhookSubscriptionSnapshot,
  type WebhookOwner,
} from '@pushline/domain';
import { NotFoundError } from '@pushline/domain';
import { checkWebhookDestination } from './check-webhook-destination.js';
import { requireWebhookSubscription } from './require-webhook-subscription.js';
import type { WebhookSettings } from './webhook-settings.js';

/** PATCH of a subscription; enabling a disabled one is the "re-enable" and is logged as `webhook.enabled`. */
export class UpdateWebhookSubscription {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly statusLog: WebhookStatusLog,
    private readonly destinations: WebhookDestinationCheck,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly catalog: EventTypeRegistry,
    private readonly settings: WebhookSettings,
  ) {}

  async execute(input: { owner: WebhookOwner; id: string; changes: WebhookSubscriptionChanges }): Promise<WebhookSubscriptionSnapshot> {
    const { changes } = input;
    const checked: WebhookSubscriptionChanges = {
      ...changes,
      ...(changes.eventTypes !== undefined && { eventTypes: parseWebhookEventTypes(changes.eventTypes, this.catalog) }),
      ...(changes.url !== undefined && { url: await checkWebhookDestination(changes.url, this.settings.allowHttp, this.destinations) }),
    };
    const subscription = await requireWebhookSubscription(this.subscriptions, input.owner, input.id);
    const wasEnabled = subscription.enabled;
    const now = this.clock.now();
    subscription.change(checked, now);
    if (!(await this.subscriptions.save(subscription))) throw new NotFoundError('webhook', input.id);
    if (wasEnabled !== subscription.enabled) {
      await this.statusLog.record({
        id: this.ids.next(),
        type: subscription.enabled ? 'webhook.enabled' : 'webhook.disabled',
        subscriptionId: subscription.id,
        reason: subscription.enabled ? 're-enabled by the app' : 'disabled by the app',
        time: now,
      });
    }
    return subscription.toSnapshot();
  }
}
