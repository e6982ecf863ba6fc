import type { DomainEvent, EventAudienceLog, EventLog, StreamEntry } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf, type HotSql } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

interface ReadKey {
  readonly userId: string;
  readonly after: number;
  readonly limit: number;
}

/**
 * Reads the per-user streams that OutboxEventBus appends to. Head cursors, retention bounds and replay
 * pages asked for at the same time (a reconnect storm: every device opens at once) are read in one
 * query each, on the prepared `pg` path (`hotSqlOf`: every stream open asks for them, and Prisma's
 * client costs several times the driver's CPU per query).
 */
export class PrismaEventLog implements EventLog, EventAudienceLog {
  private readonly heads: BatchedLookup<string, number>;
  private readonly trimmed: BatchedLookup<string, number>;
  private readonly pages: BatchedLookup<string, StreamEntry[]>;
  private readonly sql: HotSql;

  constructor(private readonly db: PrismaExecutor) {
    this.sql = hotSqlOf(db);
    // int8 columns arrive as strings through `pg`, as bigints through Prisma: `Number()` reads both.
    this.heads = new BatchedLookup(async (userIds) => {
      const rows = await this.sql.query<{ user_id: string; head_cursor: bigint | string }>('SELECT user_id, head_cursor FROM user_streams WHERE user_id = ANY($1::text[])', [userIds]);
      return new Map(rows.map((r) => [r.user_id, Number(r.head_cursor)]));
    }, 0);
    this.trimmed = new BatchedLookup(async (userIds) => {
      const rows = await this.sql.query<{ user_id: string; trimmed_through: bigint | string }>('SELECT user_id, trimmed_through FROM user_streams WHERE user_id = ANY($1::text[])', [userIds]);
      return new Map(rows.map((r) => [r.user_id, Number(r.trimmed_through)]));
    }, 0);
    this.pages = new BatchedLookup((keys) => this.readPages(keys), []);
  }

  async readAfter(userId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    return this.pages.get(JSON.stringify([userId, Math.trunc(after), Math.trunc(limit)]));
  }

  async headCursor(userId: string): Promise<number> {
    return this.heads.get(userId);
  }

  async oldestRetainedCursor(userId: string): Promise<number | null> {
    const trimmedThrough = await this.trimmed.get(userId);
    return trimmedThrough > 0 ? trimmedThrough + 1 : null;
  }

  async recipientsOf(eventId: string, after: string | undefined, limit: number): Promise<readonly string[]> {
    // By the event_id index; a page of an event's audience, in user order (keyset).
    const rows = await this.db.streamEvent.findMany({
      where: { eventId, ...(after !== undefined && { userId: { gt: after } }) },
      select: { userId: true },
      orderBy: { userId: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.userId);
  }

  /** Each asked page (user, after, limit) through one LATERAL join: every page walks its user's index. */
  private async readPages(keys: string[]): Promise<Map<string, StreamEntry[]>> {
    const asked = keys.map((k) => JSON.parse(k) as [string, number, number]).map(([userId, after, limit]): ReadKey => ({ userId, after, limit }));
    const rows = await this.sql.query<{ k: number; cursor: bigint | string; envelope: unknown }>(
      `SELECT q.k::int AS k, e.cursor, e.envelope
       FROM unnest($1::text[], $2::bigint[], $3::int[]) WITH ORDINALITY AS q(user_id, after, lim, k)
       CROSS JOIN LATERAL (
         SELECT cursor, envelope FROM stream_events s
         WHERE s.user_id = q.user_id AND s.cursor > q.after ORDER BY s.cursor LIMIT q.lim
       ) e
       ORDER BY q.k, e.cursor`,
      [asked.map((a) => a.userId), asked.map((a) => a.after), asked.map((a) => a.limit)],
    );
    const pages = new Map<string, StreamEntry[]>(keys.map((k) => [k, []]));
    for (const row of rows) {
      const i = Number(row.k) - 1;
      pages.get(keys[i]!)!.push({ userId: asked[i]!.userId, cursor: Number(row.cursor), event: row.envelope as DomainEvent });
    }
    return pages;
  }
}
