import type { LoginSession, SessionStore } from '@pushline/domain';

/** Login sessions in a map. `deleteUser` mimics the database's cascade from users to sessions. */
export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, LoginSession>();

  async create(session: LoginSession): Promise<void> {
    if (this.sessions.has(session.id)) throw new Error(`session ${session.id} already exists`);
    this.sessions.set(session.id, { ...session });
  }

  async find(sessionId: string): Promise<LoginSession | null> {
    const found = this.sessions.get(sessionId);
    return found ? { ...found } : null;
  }

  async extendIdle(sessionId: string, idleExpiresAt: Date): Promise<boolean> {
    const found = this.sessions.get(sessionId);
    if (!found || found.revokedAt !== null) return false;
    const capped = new Date(Math.min(idleExpiresAt.getTime(), found.expiresAt.getTime()));
    this.sessions.set(sessionId, { ...found, idleExpiresAt: capped });
    return true;
  }

  async revoke(sessionId: string, at: Date): Promise<void> {
    const found = this.sessions.get(sessionId);
    if (found && found.revokedAt === null) this.sessions.set(sessionId, { ...found, revokedAt: at });
  }

  deleteUser(userId: string): void {
    for (const [id, s] of this.sessions) if (s.userId === userId) this.sessions.delete(id);
  }
}
