import type { LoginSession, SessionRef, SessionStore } from '@pushline/domain';
import { IdentityReads } from './identity-reads.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * Login sessions, shared by every API instance through the database; they go with their user (cascade).
 * Every read and change names the tenant with the id (issue #10): a session id is found only in its tenant.
 */
export class PrismaSessionStore implements SessionStore {
  constructor(
    private readonly db: PrismaExecutor,
    private readonly now: () => Date = () => new Date(),
  ) {
    // Every authenticated request reads its session, user and tenant: one shared statement (identity-reads.ts).
    this.lookup = IdentityReads.of(db);
  }

  private readonly lookup: IdentityReads | null;

  async create(session: LoginSession): Promise<void> {
    // Only for a user of the session's tenant, checked against the user row in the same statement.
    const inserted = await this.db.$executeRaw`
      INSERT INTO sessions (id, tenant_id, user_id, created_at, expires_at, idle_expires_at, revoked_at)
      SELECT ${session.id}, u.tenant_id, u.id, ${session.createdAt}, ${session.expiresAt}, ${session.idleExpiresAt}, ${session.revokedAt}
      FROM users u WHERE u.id = ${session.userId} AND u.tenant_id = ${session.tenantId}`;
    if (inserted === 0) throw new Error(`no user ${session.userId} in tenant ${session.tenantId} to open a session for`);
  }

  async find(ref: SessionRef): Promise<LoginSession | null> {
    if (this.lookup) return this.lookup.session(ref);
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
