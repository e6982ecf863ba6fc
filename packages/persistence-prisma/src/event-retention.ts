import { Prisma, type PrismaClient } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/** The tables of one kind of stream: its entries, its per-owner head row, and the owner column. */
interface StreamTables {
  readonly entries: string;
  readonly heads: string;
  readonly owner: string;
  /** SQL that holds for an entry `alias` the relay has not published yet. */
  readonly unpublished: (alias: string) => string;
}

/** A user's entry is unpublished while its outbox row exists (decision 61). */
const USER_STREAMS: StreamTables = {
  entries: 'stream_events',
  heads: 'user_streams',
  owner: 'user_id',
  unpublished: (alias) => `EXISTS (SELECT 1 FROM stream_outbox o WHERE o.seq = ${alias}.seq)`,
};
/** The tenants' broadcast streams (tenant-stream-outbox.ts) age by the same rule. */
const TENANT_STREAMS: StreamTables = { entries: 'tenant_stream_events', heads: 'tenant_streams', owner: 'tenant_id', unpublished: (alias) => `${alias}.published_at IS NULL` };

/**
 * Deletes published entries created before `cutoff` and raises each owner's `trimmed_through` to the
 * highest cursor removed, in one statement. Per owner only a prefix of the stream goes: deletion stops
 * at the first entry that must stay (newer, or not yet published), so a stream never gets a hole even
 * if the clock stepped back. Returns the number of entries removed.
 */
async function purgeStreamPrefixes(db: PrismaExecutor, tables: StreamTables, cutoff: Date): Promise<number> {
  const entries = Prisma.raw(tables.entries);
  const owner = Prisma.raw(tables.owner);
  const [result] = await db.$queryRaw<{ removed: number }[]>`
    WITH expired AS (
      SELECT s.${owner} AS owner, max(s.cursor) AS through FROM ${entries} s
      WHERE s.created_at < ${cutoff} AND NOT ${Prisma.raw(tables.unpublished('s'))}
      GROUP BY s.${owner}
    ), bounds AS (
      SELECT e.owner, LEAST(e.through, (
        SELECT min(k.cursor) - 1 FROM ${entries} k
        WHERE k.${owner} = e.owner AND (k.created_at >= ${cutoff} OR ${Prisma.raw(tables.unpublished('k'))})
      )) AS through
      FROM expired e
    ), deleted AS (
      DELETE FROM ${entries} s USING bounds b
      WHERE s.${owner} = b.owner AND s.cursor <= b.through
      RETURNING s.${owner} AS owner, s.cursor
    ), per_owner AS (
      SELECT owner, max(cursor) AS through, count(*) AS removed FROM deleted GROUP BY owner
    ), raised AS (
      UPDATE ${Prisma.raw(tables.heads)} h SET trimmed_through = GREATEST(h.trimmed_through, p.through)
      FROM per_owner p WHERE h.${owner} = p.owner
    )
    SELECT COALESCE(sum(removed), 0)::int AS removed FROM per_owner`;
  return result?.removed ?? 0;
}

/** Removes old, already published stream entries; devices further behind must reload their state. */
export class EventRetention {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Trims every user's and every tenant's stream to what is newer than `cutoff` or not yet published
   * (see `purgeStreamPrefixes`), then the events archive. Returns the number of stream entries removed.
   */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const removedEntries = await purgeStreamPrefixes(this.prisma, USER_STREAMS, cutoff);
    const removedBroadcasts = await purgeStreamPrefixes(this.prisma, TENANT_STREAMS, cutoff);
    // The one-row-per-event archive (operator and app event queries) ages the same way; an event still
    // in some stream stays, so a replay can still find its recipients.
    await this.prisma.$executeRaw`
      DELETE FROM events e WHERE e.created_at < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM stream_events s WHERE s.event_id = e.id)
      AND NOT EXISTS (SELECT 1 FROM tenant_stream_events t WHERE t.event_id = e.id)`;
    return removedEntries + removedBroadcasts;
  }
}
