import type { PrismaClient } from './generated/prisma/client.js';

/**
 * Committed stream rows the relay has not published yet, the users' and the tenants' broadcast
 * streams together. Cheap enough for every metrics scrape: both count unpublished rows only (the
 * `stream_outbox` table, the partial index `tenant_stream_events_outbox_idx`).
 */
export async function countOutboxBacklog(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ backlog: bigint }[]>`
    SELECT (SELECT count(*) FROM stream_outbox)
         + (SELECT count(*) FROM tenant_stream_events WHERE published_at IS NULL) AS backlog`;
  return Number(row?.backlog ?? 0);
}
