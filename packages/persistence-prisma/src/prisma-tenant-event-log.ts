import type { DomainEvent, StreamEntry, TenantEventLog } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf, type HotSql } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * Reads the tenants' shared streams. Every device of a tenant asks for the same pages at the same
 * time (a broadcast, a reconnect storm), and `BatchedLookup` answers equal keys with one read: 400
 * devices resuming after tenant cursor 7 cost one query, not 400.
 */
export class PrismaTenantEventLog implements TenantEventLog {
  private readonly heads: BatchedLookup<string, number>;
  private readonly trimmed: BatchedLookup<string, number>;
  private readonly pages: BatchedLookup<string, StreamEntry[]>;
  /** The prepared `pg` path on PostgreSQL (every stream open of a tenant member asks for the head). */
  private readonly sql: HotSql;

  constructor(db: PrismaExecutor) {
    this.sql = hotSqlOf(db);
    // int8 columns arrive as strings through `pg`, as bigints through Prisma: `Number()` reads both.
    this.heads = new BatchedLookup(async (tenantIds) => {
      const rows = await this.sql.query<{ tenant_id: string; head_cursor: bigint | string }>('SELECT tenant_id, head_cursor FROM tenant_streams WHERE tenant_id = ANY($1::text[])', [tenantIds]);
      return new Map(rows.map((r) => [r.tenant_id, Number(r.head_cursor)]));
    }, 0);
    // Every device that opens with a cursor asks this too: batched like the heads.
    this.trimmed = new BatchedLookup(async (tenantIds) => {
      const rows = await this.sql.query<{ tenant_id: string; trimmed_through: bigint | string }>('SELECT tenant_id, trimmed_through FROM tenant_streams WHERE tenant_id = ANY($1::text[])', [tenantIds]);
      return new Map(rows.map((r) => [r.tenant_id, Number(r.trimmed_through)]));
    }, 0);
    this.pages = new BatchedLookup((keys) => this.readPages(keys), []);
  }

  readAfter(tenantId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    return this.pages.get(JSON.stringify([tenantId, Math.trunc(after), Math.trunc(limit)]));
  }

  headCursor(tenantId: string): Promise<number> {
    return this.heads.get(tenantId);
  }

  async oldestRetainedCursor(tenantId: string): Promise<number | null> {
    const trimmedThrough = await this.trimmed.get(tenantId);
    return trimmedThrough > 0 ? trimmedThrough + 1 : null;
  }

  private async readPages(keys: string[]): Promise<Map<string, StreamEntry[]>> {
    const asked = keys.map((k) => JSON.parse(k) as [string, number, number]);
    const rows = await this.sql.query<{ k: number; cursor: bigint | string; envelope: unknown }>(
      `SELECT q.k::int AS k, e.cursor, e.envelope
       FROM unnest($1::text[], $2::bigint[], $3::int[]) WITH ORDINALITY AS q(tenant_id, after, lim, k)
       CROSS JOIN LATERAL (
         SELECT cursor, envelope FROM tenant_stream_events s
         WHERE s.tenant_id = q.tenant_id AND s.cursor > q.after ORDER BY s.cursor LIMIT q.lim
       ) e
       ORDER BY q.k, e.cursor`,
      [asked.map(([tenantId]) => tenantId), asked.map(([, after]) => after), asked.map(([, , limit]) => limit)],
    );
    const pages = new Map<string, StreamEntry[]>(keys.map((k) => [k, []]));
    for (const row of rows) {
      const i = Number(row.k) - 1;
      pages.get(keys[i]!)!.push({ userId: '', tenantStream: asked[i]![0], cursor: Number(row.cursor), event: row.envelope as DomainEvent });
    }
    return pages;
  }
}
