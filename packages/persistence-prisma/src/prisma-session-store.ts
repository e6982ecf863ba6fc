import type { LoginSession, SessionStore } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf, isRootClient } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  idle_expires_at: Date;
  revoked_at: Date | null;
}

/** Login sessions, shared by every API instance through the database; they go with their user (cascade). */
export class PrismaSessionStore implements SessionStore {
  constructor(
    private readonly db: PrismaExecutor,
    private readonly now: () => Date = () => new Date(),
  ) {
    // Every authenticated request reads its session: concurrent reads go as one query. Each read is
    // issued after it was asked for, so a logout committed on any instance is seen by the next request.
    this.lookup = isRootClient(db)
      ? new BatchedLookup(async (ids) => {
          const rows = await hotSqlOf(db).query<SessionRow>(
            'SELECT id, user_id, created_at, expires_at, idle_expires_at, revoked_at FROM sessions WHERE id = ANY($1::text[])',
            [ids],
          );
          return new Map(rows.map((r) => [r.id, toSession(r)]));
        }, null, 4)
      : null;
  }

  private readonly lookup: BatchedLookup<string, LoginSession | null> | null;

  async create(session: LoginSession): Promise<void> {
    // The session carries its user's tenant, taken from the user row in the same statement.
    const inserted = await this.db.$executeRaw`
      INSERT INTO sessions (id, tenant_id, user_id, created_at, expires_at, idle_expires_at, revoked_at)
      SELECT ${session.id}, u.tenant_id, u.id, ${session.createdAt}, ${session.expiresAt}, ${session.idleExpiresAt}, ${session.revokedAt}
      FROM users u WHERE u.id = ${session.userId}`;
    if (inserted === 0) throw new Error(`no user ${session.userId} to open a session for`);
  }

  async find(sessionId: string): Promise<LoginSession | null> {
    if (this.lookup) return this.lookup.get(sessionId);
    return this.db.loginSession.findUnique({
      where: { id: sessionId },
      select: { id: true, userId: true, createdAt: true, expiresAt: true, idleExpiresAt: true, revokedAt: true },
    });
  }

  async extendIdle(sessionId: string, idleExpiresAt: Date): Promise<boolean> {
    // One statement, capped in SQL: a refresh racing a logout can never revive the session.
    const updated = await this.db.$executeRaw`
      UPDATE sessions SET idle_expires_at = LEAST(${idleExpiresAt}::timestamptz, expires_at)
      WHERE id = ${sessionId} AND revoked_at IS NULL`;
    return updated > 0;
  }

  async revoke(sessionId: string, at: Date): Promise<void> {
    await this.db.loginSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Deletes sessions past their absolute end (revoked or not: no token of theirs can work); returns how many. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.db.loginSession.deleteMany({ where: { expiresAt: { lte: this.now() } } });
    return count;
  }
}

function toSession(r: SessionRow): LoginSession {
  return { id: r.id, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at, idleExpiresAt: r.idle_expires_at, revokedAt: r.revoked_at };
}
