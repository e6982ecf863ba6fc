import type { DomainEvent, StreamEntry } from '@pushline/domain';
import { createdAtLeastAgo } from './outbox-age.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * The relay's side of the tenants' broadcast streams: the same outbox rules as `stream_events`
 * (unpublished rows in `seq` order, marked after the broker took them), on `tenant_stream_events`.
 */
export async function unpublishedTenantEntries(
  tx: PrismaExecutor,
  limit: number,
  /** Only rows created at least this long ago (`createdAtLeastAgo`; 0: every row). */
  minAgeMs: number,
): Promise<{ seqs: bigint[]; entries: StreamEntry[] }> {
  const rows = await tx.$queryRaw<{ seq: bigint; tenant_id: string; cursor: bigint; envelope: unknown }[]>`
    SELECT seq, tenant_id, cursor, envelope FROM tenant_stream_events
    WHERE published_at IS NULL AND ${createdAtLeastAgo('created_at', minAgeMs)}
    ORDER BY seq
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`;
  return {
    seqs: rows.map((r) => r.seq),
    entries: rows.map((r) => ({ userId: '', tenantStream: r.tenant_id, cursor: Number(r.cursor), event: r.envelope as DomainEvent })),
  };
}

export async function markTenantSeqsPublished(tx: PrismaExecutor, seqs: readonly bigint[]): Promise<void> {
  if (seqs.length > 0) await tx.tenantStreamEvent.updateMany({ where: { seq: { in: [...seqs] } }, data: { publishedAt: new Date() } });
}

/** Marks fast-path broadcast entries published, by (tenant, cursor). */
export async function markTenantEntriesPublished(db: PrismaExecutor, entries: readonly StreamEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.$executeRawUnsafe(
    `UPDATE tenant_stream_events SET published_at = now()
     WHERE published_at IS NULL AND (tenant_id, cursor) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
    entries.map((e) => e.tenantStream!),
    entries.map((e) => e.cursor),
  );
}
