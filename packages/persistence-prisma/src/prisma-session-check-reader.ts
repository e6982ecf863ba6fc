import type { SessionCheckReader, SessionCheckRows, SessionRef } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

interface CheckRow {
  k: number;
  session_id: string | null;
  session_user_id: string | null;
  session_created_at: Date | null;
  expires_at: Date | null;
  idle_expires_at: Date | null;
  revoked_at: Date | null;
  user_id: string | null;
  user_tenant_id: string | null;
  email: string | null;
  password_hash: string | null;
  external_id: string | null;
  user_disabled_at: Date | null;
  user_created_at: Date | null;
  tenant_id: string | null;
  tenant_name: string | null;
  tenant_created_at: Date | null;
  tenant_disabled_at: Date | null;
}

/** One row per asked key (primary keys on every side); the session only in the token's tenant (issue #10). */
const CHECK = `
SELECT q.k::int AS k,
  s.id AS session_id, s.user_id AS session_user_id, s.created_at AS session_created_at, s.expires_at, s.idle_expires_at, s.revoked_at,
  u.id AS user_id, u.tenant_id AS user_tenant_id, u.email, u.password_hash, u.external_id, u.disabled_at AS user_disabled_at, u.created_at AS user_created_at,
  t.id AS tenant_id, t.name AS tenant_name, t.created_at AS tenant_created_at, t.disabled_at AS tenant_disabled_at
FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS q(tenant_id, session_id, user_id, k)
LEFT JOIN sessions s ON s.id = q.session_id AND s.tenant_id = q.tenant_id
LEFT JOIN users u ON u.id = q.user_id
LEFT JOIN tenants t ON t.id = q.tenant_id`;

/**
 * A token's session, user and tenant in one statement: every authenticated request and stream open
 * asked for them as three queries side by side, the largest cost of an open (decision 56). Concurrent
 * checks share one query (`BatchedLookup`), each issued after it was asked for.
 */
export class PrismaSessionCheckReader implements SessionCheckReader {
  private readonly lookup: BatchedLookup<string, SessionCheckRows>;

  constructor(db: PrismaExecutor) {
    const sql = hotSqlOf(db);
    // One query in flight: the checks asked meanwhile go together in the next one. A round trip to the
    // database, more than its rows, is what an open pays for (decision 56); a lone check runs at once.
    this.lookup = new BatchedLookup(async (keys) => {
      const asked = keys.map((key) => JSON.parse(key) as [string, string, string]);
      const rows = await sql.query<CheckRow>(CHECK, [asked.map((a) => a[0]), asked.map((a) => a[1]), asked.map((a) => a[2])]);
      return new Map(rows.map((r) => [keys[Number(r.k) - 1]!, rowsOf(r, asked[Number(r.k) - 1]![0])]));
    }, NOTHING, 1);
  }

  read(ref: SessionRef, userId: string): Promise<SessionCheckRows> {
    return this.lookup.get(JSON.stringify([ref.tenantId, ref.sessionId, userId]));
  }
}

const NOTHING: SessionCheckRows = { session: null, user: null, tenant: null };

function rowsOf(r: CheckRow, tenantId: string): SessionCheckRows {
  return {
    session:
      r.session_id === null
        ? null
        : { id: r.session_id, tenantId, userId: r.session_user_id!, createdAt: r.session_created_at!, expiresAt: r.expires_at!, idleExpiresAt: r.idle_expires_at!, revokedAt: r.revoked_at },
    user:
      r.user_id === null
        ? null
        : { id: r.user_id, tenantId: r.user_tenant_id!, email: r.email!, passwordHash: r.password_hash, externalId: r.external_id, disabledAt: r.user_disabled_at, createdAt: r.user_created_at! },
    tenant: r.tenant_id === null ? null : { id: r.tenant_id, name: r.tenant_name!, createdAt: r.tenant_created_at!, disabledAt: r.tenant_disabled_at },
  };
}
