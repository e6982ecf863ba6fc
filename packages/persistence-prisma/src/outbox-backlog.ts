import type { PrismaClient } from './generated/prisma/client.js';

/**
 * Committed stream rows the relay has not published yet. Cheap enough for every metrics scrape: it
 * counts the partial index `stream_events_outbox_idx` (only unpublished rows are in it).
 */
export async function countOutboxBacklog(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ backlog: bigint }[]>`
    SELECT count(*) AS backlog FROM stream_events WHERE published_at IS NULL`;
  return Number(row?.backlog ?? 0);
}
