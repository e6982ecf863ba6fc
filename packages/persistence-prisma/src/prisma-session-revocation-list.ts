import type { SessionRevocationList } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * Revoked sessions, shared by every API instance through the database. Every authenticated request
 * asks; checks that arrive together (many devices opening streams) share one query.
 */
export class PrismaSessionRevocationList implements SessionRevocationList {
  private readonly revoked: BatchedLookup<string, boolean>;

  constructor(
    private readonly db: PrismaExecutor,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.revoked = new BatchedLookup(async (sessionIds) => {
      const rows = await this.db.$queryRawUnsafe<{ session_id: string }[]>(
        'SELECT session_id FROM revoked_sessions WHERE session_id = ANY($1::text[]) AND revoked_until > $2::timestamptz',
        sessionIds,
        this.now().toISOString(),
      );
      return new Map(rows.map((r) => [r.session_id, true]));
    }, false);
  }

  async revoke(sessionId: string, until: Date): Promise<void> {
    // One atomic statement; revoking twice never shortens a revocation.
    await this.db.$executeRaw`
      INSERT INTO revoked_sessions (session_id, revoked_until) VALUES (${sessionId}, ${until})
      ON CONFLICT (session_id)
      DO UPDATE SET revoked_until = GREATEST(revoked_sessions.revoked_until, EXCLUDED.revoked_until)`;
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return this.revoked.get(sessionId);
  }

  /** Deletes revocations whose tokens have expired anyway; returns how many. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.db.revokedSession.deleteMany({ where: { revokedUntil: { lte: this.now() } } });
    return count;
  }
}
