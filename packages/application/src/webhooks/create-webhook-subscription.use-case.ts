import {
  LimitExceededError,
  NotFoundError,
  parseWebhookEventTypes,
  WebhookSubscription,
  type Clock,
  type EventTypeRegistry,
  type IdGenerator,
  type WebhookDestinationCheck,
  type WebhookSecretGenerator,
  type WebhookSubscriptionRepository,
  type WebhookSubscriptionSnapshot,
  type WebhookOwner,
} from '@pushline/domain';
import { checkWebhookDestination } from './check-webhook-destination.js';
import type { WebhookSettings } from './webhook-settings.js';

export interface CreateWebhookSubscriptionInput {
  readonly owner: WebhookOwner;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly userIds?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

export interface CreatedWebhookSubscription {
  readonly subscription: WebhookSubscriptionSnapshot;
  /** Shown once: here (and on rotation). */
  readonly secret: string;
}

/** Subscribes an app to event types at a URL, with a new signing secret. */
export class CreateWebhookSubscription {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly destinations: WebhookDestinationCheck,
    private readonly secrets: WebhookSecretGenerator,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly catalog: EventTypeRegistry,
    private readonly settings: WebhookSettings,
    /** The owning app, whose tenant the subscription carries. */
    private readonly apps: { findById(id: string): Promise<{ readonly tenantId: string } | null> },
  ) {}

  async execute(input: CreateWebhookSubscriptionInput): Promise<CreatedWebhookSubscription> {
    const eventTypes = parseWebhookEventTypes(input.eventTypes, this.catalog);
    const url = await checkWebhookDestination(input.url, this.settings.allowHttp, this.destinations);
    if ((await this.subscriptions.count(input.owner)) >= this.settings.maxSubscriptionsPerApp) {
      throw new LimitExceededError('webhooks', `an app may have at most ${this.settings.maxSubscriptionsPerApp} webhook subscriptions`);
    }
    const app = await this.apps.findById(input.owner.appId);
    // The caller's tenant must be the app's: a subscription never lands in a tenant other than its app's.
    if (!app || app.tenantId !== input.owner.tenantId) throw new NotFoundError('app', input.owner.appId);
    const secret = this.secrets.next();
    const subscription = WebhookSubscription.create({
      id: this.ids.next(),
      owner: input.owner.appId,
      tenantId: app.tenantId,
      url,
      eventTypes,
      ...(input.userIds && { userIds: input.userIds }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      secret,
      now: this.clock.now(),
    });
    await this.subscriptions.add(subscription);
    return { subscription: subscription.toSnapshot(), secret };
  }
}
