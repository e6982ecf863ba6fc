import { randomUUID } from 'node:crypto';
import type {
  LeasedWebhookDelivery,
  WebhookAttempt,
  WebhookAttemptOutcome,
  WebhookDeliveryStatus,
  WebhookFailureCount,
  WebhookLeaseRequest,
  WebhookQueue,
} from '@pushline/domain';
import { signingSecretsOf } from '@pushline/domain';
import type { InMemoryWebhookSubscriptionRepository } from './in-memory-webhook-subscription.repository.js';

/** A delivery row, shared with `InMemoryWebhookDeliveryLog` (the log's view of the same queue). */
export interface InMemoryWebhookDeliveryRow {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  createdAt: Date;
  payload: string;
  replay: boolean;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  leaseToken: string | null;
  leaseUntil: Date | null;
  attempts: WebhookAttempt[];
}

/** The delivery queue over the in-memory subscriptions; `enqueue` stands in for the outbox hook. */
export class InMemoryWebhookQueue implements WebhookQueue {
  readonly rows = new Map<string, InMemoryWebhookDeliveryRow>();

  constructor(private readonly subscriptions: InMemoryWebhookSubscriptionRepository) {}

  enqueue(subscriptionId: string, payload: string, at: Date, event: { id: string; type: string } = { id: randomUUID(), type: 'notification.created' }, replay = false): string {
    const id = randomUUID();
    this.rows.set(id, {
      id,
      subscriptionId,
      eventId: event.id,
      eventType: event.type,
      // Like the database's clock_timestamp(): when the row was written, not when it is due.
      createdAt: new Date(),
      payload,
      replay,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: at,
      leaseToken: null,
      leaseUntil: null,
      attempts: [],
    });
    return id;
  }

  async lease(request: WebhookLeaseRequest): Promise<readonly LeasedWebhookDelivery[]> {
    const token = randomUUID();
    const due = [...this.rows.values()]
      .filter((r) => r.status === 'pending' && r.nextAttemptAt! <= request.now && (!r.leaseUntil || r.leaseUntil < request.now))
      .filter((r) => this.subscriptions.rows.get(r.subscriptionId)?.enabled)
      .sort((a, b) => a.nextAttemptAt!.getTime() - b.nextAttemptAt!.getTime())
      .slice(0, request.limit);
    return due.map((r) => {
      r.leaseToken = token;
      r.leaseUntil = new Date(request.now.getTime() + request.leaseMs);
      const s = this.subscriptions.rows.get(r.subscriptionId)!;
      return { id: r.id, leaseToken: token, subscriptionId: s.id, owner: s.owner, url: s.url, payload: r.payload, replay: r.replay, attemptsMade: r.attemptCount, secrets: signingSecretsOf(s, request.now) };
    });
  }

  async record(delivery: LeasedWebhookDelivery, attempt: WebhookAttempt, outcome: WebhookAttemptOutcome): Promise<WebhookFailureCount | null> {
    const row = this.rows.get(delivery.id);
    if (!row || row.leaseToken !== delivery.leaseToken) return null;
    Object.assign(row, { status: outcome.status, attemptCount: row.attemptCount + 1, nextAttemptAt: outcome.status === 'pending' ? outcome.nextAttemptAt : null, leaseToken: null, leaseUntil: null });
    row.attempts.push(attempt);
    const s = this.subscriptions.rows.get(row.subscriptionId);
    if (!s) return null;
    const failed = outcome.status !== 'succeeded';
    const updated = { ...s, consecutiveFailures: failed ? s.consecutiveFailures + 1 : 0, failingSince: failed ? (s.failingSince ?? attempt.at) : null };
    this.subscriptions.rows.set(s.id, updated);
    return { consecutiveFailures: updated.consecutiveFailures, failingSince: updated.failingSince };
  }
}
