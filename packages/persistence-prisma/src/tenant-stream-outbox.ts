import type { DomainEvent, StreamEntry } from '@pushline/domain';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * The relay's side of the tenants' broadcast streams: the same outbox rules as `stream_events`
 * (unpublished rows in `seq` order, marked after the broker took them), on `tenant_stream_events`.
 */
export async function unpublishedTenantEntries(tx: PrismaExecutor, limit: number): Promise<{ seqs: bigint[]; entries: StreamEntry[] }> {
  const rows = await tx.$queryRaw<{ seq: bigint; tenant_id: string; cursor: bigint; envelope: unknown }[]>`
    SELECT seq, tenant_id, cursor, envelope FROM tenant_stream_events
    WHERE published_at IS NULL
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

/**
 * Retention of the tenants' streams: removes published broadcasts created before `cutoff`, a prefix
 * per tenant (stopping at the first entry that must stay), and raises `trimmed_through`. Returns the
 * number removed. The same statement shape as the users' streams (event-retention.ts).
 */
export async function purgeTenantStreams(db: PrismaExecutor, cutoff: Date): Promise<number> {
  const [result] = await db.$queryRaw<{ removed: number }[]>`
    WITH expired AS (
      SELECT tenant_id, max(cursor) AS through FROM tenant_stream_events
      WHERE created_at < ${cutoff} AND published_at IS NOT NULL
      GROUP BY tenant_id
    ), bounds AS (
      SELECT e.tenant_id, LEAST(e.through, (
        SELECT min(k.cursor) - 1 FROM tenant_stream_events k
        WHERE k.tenant_id = e.tenant_id AND (k.created_at >= ${cutoff} OR k.published_at IS NULL)
      )) AS through
      FROM expired e
    ), deleted AS (
      DELETE FROM tenant_stream_events s USING bounds b
      WHERE s.tenant_id = b.tenant_id AND s.cursor <= b.through
      RETURNING s.tenant_id, s.cursor
    ), per_tenant AS (
      SELECT tenant_id, max(cursor) AS through, count(*) AS removed FROM deleted GROUP BY tenant_id
    ), raised AS (
      UPDATE tenant_streams t SET trimmed_through = GREATEST(t.trimmed_through, p.through)
      FROM per_tenant p WHERE t.tenant_id = p.tenant_id
    )
    SELECT COALESCE(sum(removed), 0)::int AS removed FROM per_tenant`;
  return result?.removed ?? 0;
}
