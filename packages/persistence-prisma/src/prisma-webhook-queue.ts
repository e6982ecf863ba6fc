import { randomUUID } from 'node:crypto';
import {
  signingSecretsOf,
  type LeasedWebhookDelivery,
  type WebhookAttempt,
  type WebhookAttemptOutcome,
  type WebhookFailureCount,
  type WebhookLeaseRequest,
  type WebhookQueue,
} from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';

interface LeasedRow {
  id: string;
  subscription_id: string;
  owner: string;
  url: string;
  payload: string;
  replay: boolean;
  attempt_count: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/** The webhook delivery queue on PostgreSQL / PGlite: leases by `FOR UPDATE SKIP LOCKED`. */
export class PrismaWebhookQueue implements WebhookQueue {
  constructor(private readonly prisma: PrismaClient) {}

  async lease(request: WebhookLeaseRequest): Promise<readonly LeasedWebhookDelivery[]> {
    const token = randomUUID();
    const until = new Date(request.now.getTime() + request.leaseMs);
    // SKIP LOCKED: concurrent workers pass over each other's candidate rows instead of waiting, and the
    // lease columns keep the row theirs after this statement commits. An expired lease (its worker died)
    // makes the row due again. Deliveries of disabled subscriptions wait until re-enabled.
    const rows = await this.prisma.$queryRaw<LeasedRow[]>`
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d
        JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.enabled
        WHERE d.status = 'pending' AND d.next_attempt_at <= ${request.now}
          AND (d.lease_until IS NULL OR d.lease_until < ${request.now})
        ORDER BY d.next_attempt_at
        LIMIT ${request.limit}
        FOR UPDATE OF d SKIP LOCKED
      ), leased AS (
        UPDATE webhook_deliveries d SET lease_token = ${token}, leased_by = ${request.holder}, lease_until = ${until}
        FROM due WHERE d.id = due.id
        RETURNING d.id, d.subscription_id, d.payload, d.replay, d.attempt_count
      )
      SELECT leased.*, s.owner, s.url, s.secret, s.previous_secret, s.previous_secret_expires_at
      FROM leased JOIN webhook_subscriptions s ON s.id = leased.subscription_id`;
    return rows.map((r) => ({
      id: r.id,
      leaseToken: token,
      subscriptionId: r.subscription_id,
      owner: r.owner,
      url: r.url,
      payload: r.payload,
      replay: r.replay,
      attemptsMade: Number(r.attempt_count),
      secrets: signingSecretsOf({ secret: r.secret, previousSecret: r.previous_secret, previousSecretExpiresAt: r.previous_secret_expires_at }, request.now),
    }));
  }

  record(delivery: LeasedWebhookDelivery, attempt: WebhookAttempt, outcome: WebhookAttemptOutcome): Promise<WebhookFailureCount | null> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.webhookDelivery.updateMany({
        where: { id: delivery.id, leaseToken: delivery.leaseToken },
        data: {
          status: outcome.status,
          attemptCount: { increment: 1 },
          nextAttemptAt: outcome.status === 'pending' ? outcome.nextAttemptAt : null,
          leaseToken: null,
          leaseUntil: null,
        },
      });
      if (count === 0) return null;
      await tx.webhookDeliveryAttempt.create({ data: { deliveryId: delivery.id, ...attempt, durationMs: Math.round(attempt.durationMs) } });
      const [counts] =
        outcome.status === 'succeeded'
          ? await tx.$queryRaw<{ consecutive_failures: number; failing_since: Date | null }[]>`
              UPDATE webhook_subscriptions SET consecutive_failures = 0, failing_since = NULL
              WHERE id = ${delivery.subscriptionId} RETURNING consecutive_failures, failing_since`
          : await tx.$queryRaw<{ consecutive_failures: number; failing_since: Date | null }[]>`
              UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,
                failing_since = COALESCE(failing_since, ${attempt.at})
              WHERE id = ${delivery.subscriptionId} RETURNING consecutive_failures, failing_since`;
      // The subscription was deleted meanwhile (its deliveries with it): nothing left to count.
      return counts ? { consecutiveFailures: Number(counts.consecutive_failures), failingSince: counts.failing_since } : null;
    });
  }
}
