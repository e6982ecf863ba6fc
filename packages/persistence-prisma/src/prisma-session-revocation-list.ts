import type { SessionRevocationList } from '@pushline/domain';
import type { PrismaExecutor } from './prisma-executor.js';

/** Revoked sessions, shared by every API instance through the database. */
export class PrismaSessionRevocationList implements SessionRevocationList {
  constructor(
    private readonly db: PrismaExecutor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async revoke(sessionId: string, until: Date): Promise<void> {
    // One atomic statement; revoking twice never shortens a revocation.
    await this.db.$executeRaw`
      INSERT INTO revoked_sessions (session_id, revoked_until) VALUES (${sessionId}, ${until})
      ON CONFLICT (session_id)
      DO UPDATE SET revoked_until = GREATEST(revoked_sessions.revoked_until, EXCLUDED.revoked_until)`;
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const row = await this.db.revokedSession.findFirst({
      where: { sessionId, revokedUntil: { gt: this.now() } },
      select: { sessionId: true },
    });
    return row !== null;
  }

  /** Deletes revocations whose tokens have expired anyway; returns how many. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.db.revokedSession.deleteMany({ where: { revokedUntil: { lte: this.now() } } });
    return count;
  }
}
