export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One try at sending a delivery, as the delivery log keeps it. */
export interface WebhookAttempt {
  readonly at: Date;
  /** HTTP status of the response; null when none came (refused, timeout, connection error). */
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  /** The first bytes of the response body (at most `WEBHOOK_LIMITS.responseBodyBytes`). */
  readonly responseBody: string | null;
}

/** A delivery as its subscription's log shows it: one event to one subscription, with its attempts. */
export interface WebhookDeliveryView {
  /** Also the `webhook-id` header, the same on every attempt. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly status: WebhookDeliveryStatus;
  /** Sent again by an operator's replay of the event (a new delivery, `webhook-replay: true`). */
  readonly replay: boolean;
  readonly createdAt: Date;
  readonly nextAttemptAt: Date | null;
  /** Oldest first. */
  readonly attempts: readonly WebhookAttempt[];
}

/** A delivery leased by one worker: nobody else sends it until the lease ends or is released. */
export interface LeasedWebhookDelivery {
  readonly id: string;
  readonly leaseToken: string;
  readonly subscriptionId: string;
  /** The subscription's owner (app). */
  readonly owner: string;
  readonly url: string;
  /** The exact bytes to post (the CloudEvents envelope, serialized once at enqueue). */
  readonly payload: string;
  readonly replay: boolean;
  readonly attemptsMade: number;
  readonly secrets: readonly string[];
}

/** What the worker decided after an attempt. */
export type WebhookAttemptOutcome =
  | { readonly status: 'succeeded' }
  | { readonly status: 'pending'; readonly nextAttemptAt: Date }
  | { readonly status: 'failed' };

/** A subscription's failure counters after an attempt was recorded. */
export interface WebhookFailureCount {
  readonly consecutiveFailures: number;
  readonly failingSince: Date | null;
}

/** A change of a subscription's state, as its status endpoint and the log show it. */
export interface WebhookStatusEvent {
  readonly id: string;
  readonly type: 'webhook.disabled' | 'webhook.enabled';
  readonly subscriptionId: string;
  readonly reason: string;
  readonly time: Date;
}
