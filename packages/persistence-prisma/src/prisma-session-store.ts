import type { LoginSession, SessionRef, SessionStore } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf, isRootClient } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

interface SessionRow {
  id: string;
  tenant_id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  idle_expires_at: Date;
  revoked_at: Date | null;
}

/**
 * Login sessions, shared by every API instance through the database; they go with their user (cascade).
 * Every read and change names the tenant with the id (issue #10): a session id is found only in its tenant.
 */
export class PrismaSessionStore implements SessionStore {
  constructor(
    private readonly db: PrismaExecutor,
    private readonly now: () => Date = () => new Date(),
  ) {
    // Every authenticated request reads its session: concurrent reads go as one query. Each read is
    // issued after it was asked for, so a logout committed on any instance is seen by the next request.
    this.lookup = isRootClient(db)
      ? new BatchedLookup(async (keys) => {
          const refs = keys.map(refOf);
          const rows = await hotSqlOf(db).query<SessionRow>(
            `SELECT s.id, s.tenant_id, s.user_id, s.created_at, s.expires_at, s.idle_expires_at, s.revoked_at
             FROM sessions s JOIN unnest($1::text[], $2::text[]) AS k(id, tenant_id) ON s.id = k.id AND s.tenant_id = k.tenant_id`,
            [refs.map((r) => r.sessionId), refs.map((r) => r.tenantId)],
          );
          return new Map(rows.map((r) => [keyOf({ tenantId: r.tenant_id, sessionId: r.id }), toSession(r)]));
        }, null, 4)
      : null;
  }

  /** Keyed by tenant and id together, so one batch never answers a key with another tenant's row. */
  private readonly lookup: BatchedLookup<string, LoginSession | null> | null;

  async create(session: LoginSession): Promise<void> {
    // Only for a user of the session's tenant, checked against the user row in the same statement.
    const inserted = await this.db.$executeRaw`
      INSERT INTO sessions (id, tenant_id, user_id, created_at, expires_at, idle_expires_at, revoked_at)
      SELECT ${session.id}, u.tenant_id, u.id, ${session.createdAt}, ${session.expiresAt}, ${session.idleExpiresAt}, ${session.revokedAt}
      FROM users u WHERE u.id = ${session.userId} AND u.tenant_id = ${session.tenantId}`;
    if (inserted === 0) throw new Error(`no user ${session.userId} in tenant ${session.tenantId} to open a session for`);
  }

  async find(ref: SessionRef): Promise<LoginSession | null> {
    if (this.lookup) return this.lookup.get(keyOf(ref));
    return this.db.loginSession.findFirst({
      where: { id: ref.sessionId, tenantId: ref.tenantId },
      select: { id: true, tenantId: true, userId: true, createdAt: true, expiresAt: true, idleExpiresAt: true, revokedAt: true },
    });
  }

  async extendIdle(ref: SessionRef, idleExpiresAt: Date): Promise<boolean> {
    // One statement, capped in SQL: a refresh racing a logout can never revive the session.
    const updated = await this.db.$executeRaw`
      UPDATE sessions SET idle_expires_at = LEAST(${idleExpiresAt}::timestamptz, expires_at)
      WHERE id = ${ref.sessionId} AND tenant_id = ${ref.tenantId} AND revoked_at IS NULL`;
    return updated > 0;
  }

  async revoke(ref: SessionRef, at: Date): Promise<void> {
    await this.db.loginSession.updateMany({ where: { id: ref.sessionId, tenantId: ref.tenantId, revokedAt: null }, data: { revokedAt: at } });
  }

  /**
   * Deletes sessions past their absolute end (revoked or not: no token of theirs can work); returns how many.
   * Across tenants on purpose: a maintenance job with no caller, and what it deletes no token can use.
   */
  async purgeExpired(): Promise<number> {
    const { count } = await this.db.loginSession.deleteMany({ where: { expiresAt: { lte: this.now() } } });
    return count;
  }
}

const keyOf = (ref: SessionRef): string => `${ref.tenantId}\u0000${ref.sessionId}`;

function refOf(key: string): SessionRef {
  const at = key.indexOf('\u0000');
  return { tenantId: key.slice(0, at), sessionId: key.slice(at + 1) };
}

function toSession(r: SessionRow): LoginSession {
  return { id: r.id, tenantId: r.tenant_id, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at, idleExpiresAt: r.idle_expires_at, revokedAt: r.revoked_at };
}
