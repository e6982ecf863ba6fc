import { NotFoundError, type Clock, type WebhookSecretGenerator, type WebhookSubscriptionRepository, type WebhookOwner } from '@pushline/domain';
import { requireWebhookSubscription } from './require-webhook-subscription.js';
import type { WebhookSettings } from './webhook-settings.js';

/** A new secret, shown once; the old one keeps signing beside it for `WEBHOOK_SECRET_OVERLAP`. */
export class RotateWebhookSecret {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly secrets: WebhookSecretGenerator,
    private readonly clock: Clock,
    private readonly settings: Pick<WebhookSettings, 'secretOverlapMs'>,
  ) {}

  async execute(input: { owner: WebhookOwner; id: string }): Promise<{ secret: string; previousSecretExpiresAt: Date | null }> {
    const subscription = await requireWebhookSubscription(this.subscriptions, input.owner, input.id);
    const secret = this.secrets.next();
    subscription.rotateSecret(secret, this.settings.secretOverlapMs, this.clock.now());
    if (!(await this.subscriptions.save(subscription))) throw new NotFoundError('webhook', input.id);
    return { secret, previousSecretExpiresAt: subscription.toSnapshot().previousSecretExpiresAt };
  }
}
