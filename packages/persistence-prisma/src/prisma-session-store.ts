import type { LoginSession, SessionStore } from '@pushline/domain';
import type { PrismaExecutor } from './prisma-executor.js';

/** Login sessions, shared by every API instance through the database; they go with their user (cascade). */
export class PrismaSessionStore implements SessionStore {
  constructor(
    private readonly db: PrismaExecutor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(session: LoginSession): Promise<void> {
    await this.db.loginSession.create({ data: session });
  }

  async find(sessionId: string): Promise<LoginSession | null> {
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
