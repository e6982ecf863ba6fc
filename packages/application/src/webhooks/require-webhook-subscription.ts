import { NotFoundError, ValidationError, type WebhookSubscription, type WebhookSubscriptionRepository, type WebhookOwner } from '@pushline/domain';
import { WEBHOOK_PAGE_LIMITS } from './webhook-settings.js';

/** The owner's subscription `id`; another app's or another tenant's, or none, is a 404 that reveals nothing. */
export async function requireWebhookSubscription(
  subscriptions: WebhookSubscriptionRepository,
  owner: WebhookOwner,
  id: string,
): Promise<WebhookSubscription> {
  const subscription = await subscriptions.find(owner, id);
  if (!subscription) throw new NotFoundError('webhook', id);
  return subscription;
}

export function checkWebhookPageLimit(limit: number = WEBHOOK_PAGE_LIMITS.default): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > WEBHOOK_PAGE_LIMITS.max) {
    throw new ValidationError('limit', `limit must be an integer from 1 to ${WEBHOOK_PAGE_LIMITS.max}`);
  }
  return limit;
}
