import type { LeasedWebhookDelivery, WebhookAttempt, WebhookAttemptOutcome, WebhookFailureCount } from './webhook-delivery.js';

export interface WebhookLeaseRequest {
  /** Deliveries due at or before this time are taken. */
  readonly now: Date;
  readonly limit: number;
  /** How long nobody else may take them; longer than one attempt can last. */
  readonly leaseMs: number;
  /** Who holds the lease (instance id), for the log. */
  readonly holder: string;
}

/**
 * The durable queue the delivery workers share. A lease hands a due delivery to exactly one worker
 * (`FOR UPDATE SKIP LOCKED` on PostgreSQL); a worker that dies leaves it to be taken again when the
 * lease runs out, so nothing is lost and nothing is sent by two workers at once.
 */
export interface WebhookQueue {
  lease(request: WebhookLeaseRequest): Promise<readonly LeasedWebhookDelivery[]>;
  /**
   * Logs the attempt, applies the outcome and updates the subscription's failure count, atomically.
   * A lease that was lost meanwhile (it expired and another worker took the delivery) changes nothing
   * and returns null.
   */
  record(delivery: LeasedWebhookDelivery, attempt: WebhookAttempt, outcome: WebhookAttemptOutcome): Promise<WebhookFailureCount | null>;
}
