import type { WebhookStatusEvent, WebhookStatusLog, WebhookSubscriptionRepository, WebhookOwner } from '@pushline/domain';
import { requireWebhookSubscription } from './require-webhook-subscription.js';

export interface WebhookStatus {
  readonly enabled: boolean;
  readonly consecutiveFailures: number;
  readonly failingSince: Date | null;
  readonly disabledReason: string | null;
  /** Newest first: `webhook.disabled` (with why) and `webhook.enabled`. */
  readonly events: readonly WebhookStatusEvent[];
}

/** What the app reads to learn that (and why) its subscription was disabled. */
export class GetWebhookStatus {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly statusLog: WebhookStatusLog,
  ) {}

  async execute(input: { owner: WebhookOwner; id: string }): Promise<WebhookStatus> {
    const s = (await requireWebhookSubscription(this.subscriptions, input.owner, input.id)).toSnapshot();
    const events = await this.statusLog.events(input.owner.appId, input.id, 20);
    return { enabled: s.enabled, consecutiveFailures: s.consecutiveFailures, failingSince: s.failingSince, disabledReason: s.disabledReason, events };
  }
}
