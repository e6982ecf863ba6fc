import type { PrismaClient } from './generated/prisma/client.js';
import { purgeTenantStreams } from './tenant-stream-outbox.js';

/** Removes old, already published stream entries; devices further behind must reload their state. */
export class EventRetention {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Deletes published entries created before `cutoff` and raises each user's `trimmed_through` to the
   * highest cursor removed, in one statement (one transaction). Per user only a prefix of the stream
   * goes: deletion stops at the first entry that must stay (newer, or not yet published), so a
   * stream never gets a hole even if the clock stepped back. Returns the number of entries removed.
   */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const [result] = await this.prisma.$queryRaw<{ removed: number }[]>`
      WITH expired AS (
        SELECT user_id, max(cursor) AS through FROM stream_events
        WHERE created_at < ${cutoff} AND published_at IS NOT NULL
        GROUP BY user_id
      ), bounds AS (
        SELECT e.user_id, LEAST(e.through, (
          SELECT min(k.cursor) - 1 FROM stream_events k
          WHERE k.user_id = e.user_id AND (k.created_at >= ${cutoff} OR k.published_at IS NULL)
        )) AS through
        FROM expired e
      ), deleted AS (
        DELETE FROM stream_events s USING bounds b
        WHERE s.user_id = b.user_id AND s.cursor <= b.through
        RETURNING s.user_id, s.cursor
      ), per_user AS (
        SELECT user_id, max(cursor) AS through, count(*) AS removed FROM deleted GROUP BY user_id
      ), raised AS (
        UPDATE user_streams u SET trimmed_through = GREATEST(u.trimmed_through, p.through)
        FROM per_user p WHERE u.user_id = p.user_id
      )
      SELECT COALESCE(sum(removed), 0)::int AS removed FROM per_user`;
    const removedBroadcasts = await purgeTenantStreams(this.prisma, cutoff);
    // The one-row-per-event archive (operator and app event queries) ages the same way; an event still
    // in some stream stays, so a replay can still find its recipients.
    await this.prisma.$executeRaw`
      DELETE FROM events e WHERE e.created_at < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM stream_events s WHERE s.event_id = e.id)
      AND NOT EXISTS (SELECT 1 FROM tenant_stream_events t WHERE t.event_id = e.id)`;
    return (result?.removed ?? 0) + removedBroadcasts;
  }
}
