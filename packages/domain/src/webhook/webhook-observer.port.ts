export type WebhookAttemptResult = 'succeeded' | 'retrying' | 'failed';

/** What the delivery worker reports, for metrics and logs. Must not throw. */
export interface WebhookObserver {
  attempted(result: WebhookAttemptResult, durationMs: number, statusCode: number | null): void;
  disabled(subscriptionId: string, owner: string, reason: string): void;
}
