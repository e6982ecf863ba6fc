import type { DomainEvent, NotificationSnapshot, StreamEntry } from '@pushline/domain';
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
WITH heads AS (
  INSERT INTO user_streams (user_id, head_cursor)
  SELECT user_id, n FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS c(user_id, n, ord) ORDER BY ord
  ON CONFLICT (user_id) DO UPDATE SET head_cursor = user_streams.head_cursor + EXCLUDED.head_cursor
  RETURNING user_id, head_cursor
), written AS (
  INSERT INTO stream_events (user_id, cursor, event_id, type, envelope)
  SELECT e.user_id, h.head_cursor - e.from_end, e.event_id, e.type, e.envelope::jsonb
  FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[]) AS e(user_id, from_end, event_id, type, envelope)
  JOIN heads h USING (user_id)
  RETURNING event_id, user_id, cursor
)
SELECT event_id, user_id, cursor FROM written`;

/** Runs the unit's writes as one statement; returns the stream entries with their cursors. */
export async function writeInOneStatement(prisma: PrismaClient, pending: PendingWrites): Promise<StreamEntry[]> {
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
  if (pending.notifications.length > 0) throw new Error('notifications are written by the interactive transaction');
  const result = await prisma
    .$queryRawUnsafe<{ event_id: string; user_id: string; cursor: bigint | number }[]>(
    STATEMENT,
    users,
    users.map((u) => perUser.get(u)!),
    pending.rows.map((r) => r.userId),
    fromEnd,
    pending.rows.map((r) => r.event.id),
    pending.rows.map((r) => r.event.type),
    pending.rows.map((r) => JSON.stringify(r.event)),
  )

  const cursorOf = new Map(result.map((r) => [`${r.user_id}\u0000${r.event_id}`, Number(r.cursor)]));
  return pending.rows.map(({ userId, event }) => ({ userId, cursor: cursorOf.get(`${userId}\u0000${event.id}`)!, event }));
}
