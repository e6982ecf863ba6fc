import type { AppKeyCheckReader, AppKeyCheckRows, AppScope } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

interface CheckRow {
  prefix: string;
  key_id: string;
  key_tenant_id: string;
  key_app_id: string;
  key_hash: string;
  scopes: string[];
  key_created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  app_id: string | null;
  app_tenant_id: string | null;
  app_name: string | null;
  slug: string | null;
  app_created_at: Date | null;
  tenant_id: string | null;
  tenant_name: string | null;
  tenant_created_at: Date | null;
  tenant_disabled_at: Date | null;
}

/** Every asked prefix's key, its app and the app's tenant (primary keys and the unique prefix). */
const CHECK = `
SELECT k.prefix, k.id AS key_id, k.tenant_id AS key_tenant_id, k.app_id AS key_app_id, k.key_hash, k.scopes,
  k.created_at AS key_created_at, k.last_used_at, k.revoked_at,
  a.id AS app_id, a.tenant_id AS app_tenant_id, a.name AS app_name, a.slug, a.created_at AS app_created_at,
  t.id AS tenant_id, t.name AS tenant_name, t.created_at AS tenant_created_at, t.disabled_at AS tenant_disabled_at
FROM api_keys k
LEFT JOIN apps a ON a.id = k.app_id
LEFT JOIN tenants t ON t.id = a.tenant_id
WHERE k.prefix = ANY($1::text[])`;

/**
 * An API key with its app and tenant in one statement: every app request read them as three queries
 * one after the other (decision 60). One query in flight: requests that arrive meanwhile go together
 * in the next, so a busy publisher's concurrent requests, which carry the same key, share one read;
 * each read is still issued after it was asked for.
 */
export class PrismaAppKeyCheckReader implements AppKeyCheckReader {
  private readonly lookup: BatchedLookup<string, AppKeyCheckRows>;

  constructor(db: PrismaExecutor) {
    const sql = hotSqlOf(db);
    this.lookup = new BatchedLookup(async (prefixes) => {
      const rows = await sql.query<CheckRow>(CHECK, [prefixes]);
      return new Map(rows.map((r) => [r.prefix, rowsOf(r)]));
    }, NOTHING, 1);
  }

  read(prefix: string): Promise<AppKeyCheckRows> {
    return this.lookup.get(prefix);
  }
}

const NOTHING: AppKeyCheckRows = { key: null, app: null, tenant: null };

function rowsOf(r: CheckRow): AppKeyCheckRows {
  return {
    key: {
      id: r.key_id,
      tenantId: r.key_tenant_id,
      appId: r.key_app_id,
      prefix: r.prefix,
      keyHash: r.key_hash,
      scopes: r.scopes as AppScope[],
      createdAt: r.key_created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    },
    app: r.app_id === null ? null : { id: r.app_id, tenantId: r.app_tenant_id!, name: r.app_name!, slug: r.slug!, createdAt: r.app_created_at! },
    tenant: r.tenant_id === null ? null : { id: r.tenant_id, name: r.tenant_name!, createdAt: r.tenant_created_at!, disabledAt: r.tenant_disabled_at },
  };
}
