import type { PrismaClient } from '../generated/prisma/client.js';

/** Entries of these users still in the outbox (committed, not yet published: decision 61). */
export async function unpublishedEntriesOf(prisma: PrismaClient, userIds: readonly string[]): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM stream_outbox o JOIN stream_events e ON e.seq = o.seq WHERE e.user_id = ANY(${[...userIds]}::text[])`;
  return row?.n ?? 0;
}

/** Marks the user's entries published, as the relay does (deletes their outbox rows); up to `throughCursor` when given. */
export async function markPublished(prisma: PrismaClient, userId: string, throughCursor?: number): Promise<void> {
  await prisma.$executeRaw`
    DELETE FROM stream_outbox o USING stream_events e
    WHERE o.seq = e.seq AND e.user_id = ${userId} AND (${throughCursor ?? null}::bigint IS NULL OR e.cursor <= ${throughCursor ?? null}::bigint)`;
}
