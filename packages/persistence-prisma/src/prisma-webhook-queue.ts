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

  /** One statement (three CTEs), so it is atomic without an interactive transaction or a second round trip. */
  async record(delivery: LeasedWebhookDelivery, attempt: WebhookAttempt, outcome: WebhookAttemptOutcome): Promise<WebhookFailureCount | null> {
    const succeeded = outcome.status === 'succeeded';
    const nextAttemptAt = outcome.status === 'pending' ? outcome.nextAttemptAt : null;
    const [counts] = await this.prisma.$queryRaw<{ consecutive_failures: number; failing_since: Date | null }[]>`
      WITH done AS (
        UPDATE webhook_deliveries
        SET status = ${outcome.status}, attempt_count = attempt_count + 1, next_attempt_at = ${nextAttemptAt}::timestamptz,
            lease_token = NULL, lease_until = NULL
        WHERE id = ${delivery.id} AND lease_token = ${delivery.leaseToken}
        RETURNING id, subscription_id
      ), logged AS (
        INSERT INTO webhook_delivery_attempts (delivery_id, at, status_code, duration_ms, error, response_body)
        SELECT id, ${attempt.at}::timestamptz, ${attempt.statusCode}::int, ${Math.round(attempt.durationMs)}::int, ${attempt.error}::text, ${attempt.responseBody}::text
        FROM done
      )
      UPDATE webhook_subscriptions s
      SET consecutive_failures = CASE WHEN ${succeeded}::boolean THEN 0 ELSE s.consecutive_failures + 1 END,
          failing_since = CASE WHEN ${succeeded}::boolean THEN NULL ELSE COALESCE(s.failing_since, ${attempt.at}::timestamptz) END
      FROM done WHERE s.id = done.subscription_id
      RETURNING s.consecutive_failures, s.failing_since`;
    // No row: the lease was lost meanwhile (expired, another worker took the delivery) or the
    // subscription was deleted with its deliveries. Nothing was changed.
    return counts ? { consecutiveFailures: Number(counts.consecutive_failures), failingSince: counts.failing_since ? new Date(counts.failing_since) : null } : null;
  }
}
