import type { WebhookStatusLog, WebhookSubscriptionSnapshot } from '@pushline/domain';

/** Operators' view: subscriptions failing now or disabled by failures, across all apps. */
export class ListFailingWebhooks {
  constructor(private readonly statusLog: WebhookStatusLog) {}

  async execute(input: { limit?: number } = {}): Promise<readonly WebhookSubscriptionSnapshot[]> {
    return this.statusLog.failing(Math.min(Math.max(input.limit ?? 100, 1), 500));
  }
}
