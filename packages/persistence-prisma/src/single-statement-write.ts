import type { AuditEntry, DomainEvent, NotificationSnapshot, StreamEntry } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import type { CounterState } from './deferred-reads.js';
import { hotSqlOf } from './hot-sql.js';
import { patternsSelecting, truncatedPayloadOf, type WebhookOutboxPlan } from './webhook-outbox.js';

/** A counter row the unit locked: it read `expected` and raises the version by `steps` (0: lock only). */
export interface CounterStep {
  readonly userId: string;
  readonly expected: number;
  readonly steps: number;
  /** The row and counts once this unit is written (what the next unit of the user may start from). */
  readonly after?: CounterState;
}

/** A row the unit read at `was` (its `updated_at`) and changes or removes; stale if it changed since. */
export interface ReadRow {
  readonly id: string;
  readonly was: Date;
}

/** What one unit of work wrote, collected in memory until the single statement runs. */
export interface PendingWrites {
  readonly counters: readonly CounterStep[];
  readonly created: readonly NotificationSnapshot[];
  readonly updated: readonly (ReadRow & { readonly snapshot: NotificationSnapshot })[];
  readonly removed: readonly ReadRow[];
  readonly claims: readonly { readonly scope: string; readonly key: string; readonly tenantId: string; readonly requestHash: string; readonly response: unknown; readonly at: Date }[];
  /** Stored events in publish order, each with its recipient. */
  readonly rows: readonly { readonly userId: string; readonly event: DomainEvent }[];
  /** Handler jobs: one per (handler, event); the event need not have stream rows. */
  readonly jobs: readonly { readonly handler: string; readonly event: DomainEvent }[];
  /** Audit rows written with the events instead of the audit handler's jobs (decision 57). */
  readonly audits: readonly AuditEntry[];
}

export interface WrittenUnit {
  readonly entries: StreamEntry[];
  readonly handlerJobs: number;
  readonly webhookDeliveries: number;
}

/**
 * The statement found that something the unit read changed before the unit's locks were taken (a
 * counter version, a notification, an idempotency key): nothing was written; run the unit again.
 */
export class StaleUnitOfWork extends Error {
  constructor(readonly reason: string) {
    super(`the unit of work read state that changed before it was written: ${reason}`);
  }
}

const STALE_MARK = 'pushline-stale-unit: ';
const NOTIFICATION_SET = ['title', 'body', 'priority', 'category', 'source', 'action', 'data', 'expires_at', 'group_key', 'seen_at', 'read_at', 'clicked_at', 'archived_at', 'snoozed_until', 'expired_at', 'deleted_at', 'updated_at']
  .map((c) => `${c} = p.${c}`)
  .join(', ');

/**
 * A unit of work as ONE SQL statement of data-modifying CTEs. Its locks are taken in the order the
 * interactive transaction takes them (idempotency key, counter rows, notifications, stream rows in user
 * order: each CTE waits for the previous through an uncorrelated sub-select), so the two paths cannot
 * deadlock each other. The unit read committed state before (optimistic): `stale` checks that none
 * of it changed before the locks were taken, and if any did, the cast raises and the whole statement
 * rolls back (one statement is atomic on its own: the outbox guarantee holds without BEGIN/COMMIT).
 */
function statement(webhooks: boolean): string {
  const after = (...ctes: string[]) => ctes.map((c) => `(SELECT count(*) FROM ${c})`).join(' + ') + ' >= 0';
  return `
WITH claims AS (
  INSERT INTO idempotency_keys (scope, key, tenant_id, request_hash, response, created_at)
  SELECT k.scope, k.key, k.tenant_id, k.request_hash, k.response, k.created_at
  FROM jsonb_to_recordset($1::jsonb) AS k(scope text, key text, tenant_id text, request_hash text, response jsonb, created_at timestamptz)
  ON CONFLICT (scope, key) DO NOTHING
  RETURNING 1
), counter_input AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS c(user_id text, steps bigint, expected bigint)
), counters AS (
  INSERT INTO notification_counters (user_id, tenant_id, version)
  SELECT user_id, (SELECT u.tenant_id FROM users u WHERE u.id = counter_input.user_id), steps FROM counter_input WHERE ${after('claims')} ORDER BY user_id
  ON CONFLICT (user_id) DO UPDATE SET version = notification_counters.version + EXCLUDED.version
  RETURNING user_id, version
), created AS (
  INSERT INTO notifications
  SELECT * FROM jsonb_populate_recordset(NULL::notifications, $3::jsonb) WHERE ${after('counters')}
  ON CONFLICT (id) DO NOTHING
  RETURNING id
), updated AS (
  UPDATE notifications n SET ${NOTIFICATION_SET}
  FROM jsonb_populate_recordset(NULL::notifications, $4::jsonb) AS p, jsonb_to_recordset($5::jsonb) AS w(id text, was timestamptz)
  WHERE n.id = p.id AND w.id = p.id AND n.updated_at = w.was AND ${after('counters')}
  RETURNING n.id
), removed AS (
  DELETE FROM notifications n USING jsonb_to_recordset($6::jsonb) AS r(id text, was timestamptz)
  WHERE n.id = r.id AND n.updated_at = r.was AND ${after('counters')}
  RETURNING n.id
), ev AS (
  -- Envelopes and webhook bodies arrive as one JSON array of strings each ($13, $15): as text[] the
  -- driver escaped every quote of every envelope in JavaScript (docs/benchmarks.md §12).
  -- Parsed to jsonb here, once per event: the archive, every user's stream row and the handler jobs
  -- take this value (as text cast in each, an event to 20 users was parsed 21 times).
  SELECT e.id, e.tenant_id, e.app_id, e.type, e.subject, e.time, env.envelope::jsonb AS envelope, env.envelope AS envelope_text,
    e.archive, pay.payload, e.patterns, e.i
  FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $14::int[], $16::text[])
    WITH ORDINALITY AS e(id, tenant_id, app_id, type, subject, time, archive, patterns, i)
  JOIN json_array_elements_text($13::json) WITH ORDINALITY AS env(envelope, i) ON env.i = e.i
  JOIN json_array_elements_text($15::json) WITH ORDINALITY AS pay(payload, i) ON pay.i = e.i
), archived AS (
  INSERT INTO events (id, tenant_id, app_id, type, subject, envelope, created_at)
  SELECT id, tenant_id, app_id, type, subject, envelope, time FROM ev WHERE archive = 1
  ON CONFLICT (id) DO NOTHING
  RETURNING 1
), heads AS (
  -- The tenant of each user's stream arrives with it ($37): looked up per user in the events, it was a
  -- subplan per user over every row of the statement: a third of a 200-user statement's time.
  INSERT INTO user_streams (user_id, tenant_id, head_cursor)
  SELECT h.user_id, h.tenant_id, n
  FROM unnest($17::text[], $18::bigint[], $37::text[]) WITH ORDINALITY AS h(user_id, n, tenant_id, ord)
  WHERE ${after('created', 'updated', 'removed')} ORDER BY ord
  ON CONFLICT (user_id) DO UPDATE SET head_cursor = user_streams.head_cursor + EXCLUDED.head_cursor
  RETURNING user_id, head_cursor
), written AS (
  INSERT INTO stream_events (tenant_id, user_id, cursor, event_id, type, envelope)
  SELECT ev.tenant_id, r.user_id, h.head_cursor - r.from_end, ev.id, ev.type, ev.envelope
  FROM unnest($19::text[], $20::bigint[], $21::bigint[]) AS r(user_id, i, from_end)
  JOIN ev ON ev.i = r.i JOIN heads h ON h.user_id = r.user_id
  RETURNING seq, user_id, event_id, cursor
), outboxed AS (
  -- Unpublished until the relay deletes it (decision 61).
  INSERT INTO stream_outbox (seq) SELECT seq FROM written
  RETURNING 1
), jobs AS (
  INSERT INTO event_handler_jobs (handler, event_id, event_type, envelope, run_at)
  SELECT j.handler, ev.id, ev.type, ev.envelope, ev.time
  FROM unnest($22::text[], $23::bigint[]) AS j(handler, i) JOIN ev ON ev.i = j.i
  ON CONFLICT (handler, event_id) DO NOTHING
  RETURNING 1
), audited AS (
  -- Keyed by the event id, as the audit handler's own insert: a replayed job keeps the one row.
  INSERT INTO audit_log (event_id, type, user_id, subject, device_id, correlation_id, source, occurred_at, tenant_id)
  SELECT * FROM unnest($28::text[], $29::text[], $30::text[], $31::text[], $32::text[], $33::text[], $34::text[], $35::timestamptz[], $36::text[])
  ON CONFLICT (event_id) DO NOTHING
  RETURNING 1
), hooks AS (${
    webhooks
      ? `
  INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, payload, status, next_attempt_at)
  SELECT gen_random_uuid()::text, s.id, ev.id, ev.type, COALESCE(ev.payload, ev.envelope_text), 'pending', $24::timestamptz
  FROM ev JOIN webhook_subscriptions s ON s.enabled AND s.event_types && string_to_array(ev.patterns, ' ')
  WHERE ev.archive = 1 AND EXISTS (
    SELECT 1 FROM unnest($19::text[], $20::bigint[], $26::text[], $27::int[]) AS r(user_id, i, mute_category, webhook_default)
    WHERE r.i = ev.i AND (cardinality(s.user_ids) = 0 OR r.user_id = ANY(s.user_ids))
      AND ($25::int = 0 OR EXISTS (SELECT 1 FROM app_installations ai WHERE ai.app_id = s.owner AND ai.user_id = r.user_id))
      -- The user's webhook channel preference for the notification's category, stored in the event's
      -- tenant, or the user's for an event outside any tenant (webhook-channel-preference.ts).
      AND (r.mute_category IS NULL OR COALESCE(
        (SELECT p.webhook FROM notification_preferences p WHERE p.user_id = r.user_id AND p.category = r.mute_category
           AND p.tenant_id = COALESCE(ev.tenant_id, (SELECT u.tenant_id FROM users u WHERE u.id = r.user_id))), r.webhook_default = 1)))
  RETURNING 1`
      : `
  SELECT 1 WHERE $24::timestamptz IS NULL AND $25::int IS NULL AND $26::text[] IS NULL AND $27::int[] IS NULL AND false`
  }
), stale AS (
  SELECT 'counter of ' || c.user_id AS why FROM counter_input c LEFT JOIN counters k USING (user_id) WHERE k.version IS DISTINCT FROM c.expected + c.steps
  UNION ALL SELECT 'a notification it creates exists' WHERE (SELECT count(*) FROM created) < jsonb_array_length($3::jsonb)
  UNION ALL SELECT 'a notification it changes changed' WHERE (SELECT count(*) FROM updated) < jsonb_array_length($4::jsonb)
  UNION ALL SELECT 'a notification it removes changed' WHERE (SELECT count(*) FROM removed) < jsonb_array_length($6::jsonb)
  UNION ALL SELECT 'its idempotency key was claimed' WHERE (SELECT count(*) FROM claims) < jsonb_array_length($1::jsonb)
)
SELECT (SELECT COALESCE(json_agg(json_build_array(user_id, event_id, cursor)), '[]'::json) FROM written) AS entries,
  (SELECT count(*) FROM jobs)::int AS jobs,
  (SELECT count(*) FROM hooks)::int AS hooks,
  (SELECT count(*) FROM archived)::int AS archived,
  CASE WHEN EXISTS (SELECT 1 FROM stale) THEN ('${STALE_MARK}' || (SELECT string_agg(why, '; ') FROM stale))::int END AS stale`;
}

const STATEMENTS = { plain: statement(false), webhooks: statement(true) };

/** Runs the unit's writes as one statement; returns its stream entries (with cursors) and what it queued. */
export async function writeInOneStatement(prisma: PrismaClient, pending: PendingWrites, webhooks?: WebhookOutboxPlan): Promise<WrittenUnit> {
  const perUser = new Map<string, number>();
  // A stream row created here belongs to the tenant of the user's first event in the unit.
  const tenantOfStream = new Map<string, string | undefined>();
  for (const { userId, event } of pending.rows) {
    const count = perUser.get(userId);
    perUser.set(userId, (count ?? 0) + 1);
    if (count === undefined) tenantOfStream.set(userId, event.tenantid);
  }
  // Sorted: every statement locks stream rows in the same order.
  const users = [...perUser.keys()].sort();
  const seen = new Map<string, number>();
  const fromEnd = pending.rows.map(({ userId }) => {
    const k = (seen.get(userId) ?? 0) + 1;
    seen.set(userId, k);
    return perUser.get(userId)! - k;
  });
  // Distinct events (stream rows and handler jobs name them by position, 1-based).
  const index = new Map<string, number>();
  const events: { event: DomainEvent; archive: boolean }[] = [];
  const indexOf = (event: DomainEvent, archive: boolean): number => {
    let i = index.get(event.id);
    if (i === undefined) {
      events.push({ event, archive });
      index.set(event.id, (i = events.length));
    } else if (archive) events[i - 1]!.archive = true;
    return i;
  };
  const rowEvents = pending.rows.map((r) => indexOf(r.event, true));
  const jobEvents = pending.jobs.map((j) => indexOf(j.event, false));
  const envelopes = events.map(({ event }) => JSON.stringify(event));
  const maxPayload = webhooks?.maxPayloadBytes;
  let result: { entries: [string, string, number][]; jobs: number; hooks: number }[];
  try {
    result = await hotSqlOf(prisma).query(webhooks ? STATEMENTS.webhooks : STATEMENTS.plain, [
      JSON.stringify(pending.claims.map((c) => ({ scope: c.scope, key: c.key, tenant_id: c.tenantId, request_hash: c.requestHash, response: c.response ?? null, created_at: c.at }))),
      JSON.stringify(pending.counters.map((c) => ({ user_id: c.userId, steps: c.steps, expected: c.expected }))),
      JSON.stringify(pending.created.map(toRow)),
      JSON.stringify(pending.updated.map((u) => toRow(u.snapshot))),
      JSON.stringify(pending.updated.map((u) => ({ id: u.id, was: u.was }))),
      JSON.stringify(pending.removed.map((r) => ({ id: r.id, was: r.was }))),
      events.map(({ event }) => event.id),
      events.map(({ event }) => event.tenantid ?? null),
      events.map(({ event }) => event.appid ?? null),
      events.map(({ event }) => event.type),
      events.map(({ event }) => event.subject),
      events.map(({ event }) => event.time),
      JSON.stringify(envelopes),
      events.map(({ archive }) => (archive ? 1 : 0)),
      // The webhook body: the envelope itself (null here) unless it is above the size limit (then truncated).
      JSON.stringify(events.map(({ event }, i) => (maxPayload === undefined ? null : truncatedPayloadOf(event, envelopes[i]!, maxPayload)))),
      events.map(({ event }) => patternsSelecting(event.type).join(' ')),
      users,
      users.map((u) => perUser.get(u)!),
      pending.rows.map((r) => r.userId),
      rowEvents,
      fromEnd,
      pending.jobs.map((j) => j.handler),
      jobEvents,
      webhooks ? new Date(Date.now() + webhooks.firstDelayMs).toISOString() : null,
      webhooks?.installedOnly ? 1 : 0,
      pending.rows.map((r) => webhooks?.muteOf(r.event)?.category ?? null),
      pending.rows.map((r) => (webhooks?.muteOf(r.event)?.webhookByDefault ? 1 : 0)),
      pending.audits.map((a) => a.eventId),
      pending.audits.map((a) => a.type),
      pending.audits.map((a) => a.userId),
      pending.audits.map((a) => a.subject),
      pending.audits.map((a) => a.deviceId),
      pending.audits.map((a) => a.correlationId),
      pending.audits.map((a) => a.source),
      pending.audits.map((a) => a.occurredAt.toISOString()),
      pending.audits.map((a) => a.tenantId ?? null),
      users.map((u) => tenantOfStream.get(u) ?? null),
    ]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = message.indexOf(STALE_MARK);
    if (at >= 0) throw new StaleUnitOfWork(message.slice(at + STALE_MARK.length).split('"')[0]!);
    throw error;
  }
  const [summary] = result;
  if (!summary) throw new Error('the write statement returned no row');
  const cursorOf = new Map(summary.entries.map(([userId, eventId, cursor]) => [`${userId}\u0000${eventId}`, Number(cursor)]));
  return {
    entries: pending.rows.map(({ userId, event }) => ({ userId, cursor: cursorOf.get(`${userId}\u0000${event.id}`)!, event })),
    handlerJobs: Number(summary.jobs),
    webhookDeliveries: Number(summary.hooks),
  };
}

/** A notification as its table's row (snake_case keys), for `jsonb_populate_recordset`. */
function toRow(s: NotificationSnapshot): Record<string, unknown> {
  return {
    id: s.id,
    tenant_id: s.tenantId,
    user_id: s.userId,
    title: s.title,
    body: s.body,
    priority: s.priority,
    category: s.category,
    source: s.source,
    action: s.action,
    data: s.data,
    expires_at: s.expiresAt,
    group_key: s.groupKey,
    in_app: s.inApp,
    seen_at: s.seenAt,
    read_at: s.readAt,
    clicked_at: s.clickedAt,
    archived_at: s.archivedAt,
    snoozed_until: s.snoozedUntil,
    expired_at: s.expiredAt,
    deleted_at: s.deletedAt,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}
