import { NotFoundError, type DomainEvent, type NotificationSnapshot, type StreamEntry } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';

/** What one unit of work wrote, collected in memory until the single statement runs. */
export interface PendingWrites {
  readonly notifications: readonly NotificationSnapshot[];
  /** Stored events in publish order, each with its recipient. */
  readonly rows: readonly { readonly userId: string; readonly event: DomainEvent }[];
}

/**
 * A unit of work as ONE SQL statement (data-modifying CTEs): upsert the notifications, raise each
 * recipient's head cursor, insert the stream entries numbered below the new head. One statement is
 * atomic on its own, so the outbox guarantee holds without BEGIN/COMMIT; the cursor rows are locked
 * (in user order, so concurrent statements cannot deadlock) until it commits, so each user's cursors
 * stay gap-free and become visible in order, exactly as in the interactive transaction.
 * One round trip instead of five to seven, and no interactive-transaction bookkeeping in Prisma.
 */
const STATEMENT = `
WITH saved AS (
  INSERT INTO notifications (id, user_id, title, body, priority, data, status, created_at, updated_at)
  SELECT id, user_id, title, body, priority, data::jsonb, status, created_at::timestamptz, updated_at::timestamptz
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    AS n(id, user_id, title, body, priority, data, status, created_at, updated_at)
  ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, priority = EXCLUDED.priority,
    data = EXCLUDED.data, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
  RETURNING 1
), heads AS (
  INSERT INTO user_streams (user_id, head_cursor)
  SELECT user_id, n FROM unnest($10::text[], $11::bigint[]) WITH ORDINALITY AS c(user_id, n, ord) ORDER BY ord
  ON CONFLICT (user_id) DO UPDATE SET head_cursor = user_streams.head_cursor + EXCLUDED.head_cursor
  RETURNING user_id, head_cursor
), written AS (
  INSERT INTO stream_events (user_id, cursor, event_id, type, envelope)
  SELECT e.user_id, h.head_cursor - e.from_end, e.event_id, e.type, e.envelope::jsonb
  FROM unnest($12::text[], $13::bigint[], $14::text[], $15::text[], $16::text[]) AS e(user_id, from_end, event_id, type, envelope)
  JOIN heads h USING (user_id)
  RETURNING event_id, user_id, cursor
)
SELECT event_id, user_id, cursor, (SELECT count(*)::int FROM saved) AS saved FROM written`;

/** Runs the unit's writes as one statement; returns the stream entries with their cursors. */
export async function writeInOneStatement(prisma: PrismaClient, pending: PendingWrites): Promise<StreamEntry[]> {
  const n = pending.notifications;
  const perUser = new Map<string, number>();
  for (const { userId } of pending.rows) perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
  // Sorted: every statement locks cursor rows in the same order.
  const users = [...perUser.keys()].sort();
  const seen = new Map<string, number>();
  const fromEnd = pending.rows.map(({ userId }) => {
    const k = (seen.get(userId) ?? 0) + 1;
    seen.set(userId, k);
    return perUser.get(userId)! - k;
  });
  const result = await prisma
    .$queryRawUnsafe<{ event_id: string; user_id: string; cursor: bigint | number }[]>(
    STATEMENT,
    n.map((s) => s.id),
    n.map((s) => s.userId),
    n.map((s) => s.title),
    n.map((s) => s.body),
    n.map((s) => s.priority),
    n.map((s) => (s.data === null ? null : JSON.stringify(s.data))),
    n.map((s) => s.status),
    n.map((s) => s.createdAt.toISOString()),
    n.map((s) => s.updatedAt.toISOString()),
    users,
    users.map((u) => perUser.get(u)!),
    pending.rows.map((r) => r.userId),
    fromEnd,
    pending.rows.map((r) => r.event.id),
    pending.rows.map((r) => r.event.type),
    pending.rows.map((r) => JSON.stringify(r.event)),
  )
    .catch((error: unknown) => {
      throw ownerMissing(error, n) ?? error;
    });
  const cursorOf = new Map(result.map((r) => [`${r.user_id}\u0000${r.event_id}`, Number(r.cursor)]));
  return pending.rows.map(({ userId, event }) => ({ userId, cursor: cursorOf.get(`${userId}\u0000${event.id}`)!, event }));
}

/**
 * A notification whose owner has no row (a valid token of a deleted user) breaks the foreign key:
 * that is the caller's "no such user", not a server fault. Prisma reports raw-query failures with the
 * driver adapter's cause in `meta`.
 */
function ownerMissing(error: unknown, notifications: readonly NotificationSnapshot[]): NotFoundError | undefined {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { kind?: string; constraint?: { index?: string } } } } }).meta?.driverAdapterError?.cause;
  if (cause?.kind !== 'ForeignKeyConstraintViolation' || cause.constraint?.index !== 'notifications_user_id_fkey') return undefined;
  return new NotFoundError('user', notifications[0]?.userId ?? 'unknown');
}
