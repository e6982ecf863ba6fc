import type { LoginSession, SessionRef, SessionStore } from '@pushline/domain';

/**
 * Login sessions in a map. A session is found, extended and revoked only through its own tenant, as
 * in the database. `deleteUser` mimics the database's cascade from users to sessions.
 */
export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, LoginSession>();

  async create(session: LoginSession): Promise<void> {
    if (this.sessions.has(session.id)) throw new Error(`session ${session.id} already exists`);
    this.sessions.set(session.id, { ...session });
  }

  async find(ref: SessionRef): Promise<LoginSession | null> {
    const found = this.inTenant(ref);
    return found ? { ...found } : null;
  }

  async extendIdle(ref: SessionRef, idleExpiresAt: Date): Promise<boolean> {
    const found = this.inTenant(ref);
    if (!found || found.revokedAt !== null) return false;
    const capped = new Date(Math.min(idleExpiresAt.getTime(), found.expiresAt.getTime()));
    this.sessions.set(found.id, { ...found, idleExpiresAt: capped });
    return true;
  }

  async revoke(ref: SessionRef, at: Date): Promise<void> {
    const found = this.inTenant(ref);
    if (found && found.revokedAt === null) this.sessions.set(found.id, { ...found, revokedAt: at });
  }

  deleteUser(userId: string): void {
    for (const [id, s] of this.sessions) if (s.userId === userId) this.sessions.delete(id);
  }

  private inTenant({ tenantId, sessionId }: SessionRef): LoginSession | undefined {
    const found = this.sessions.get(sessionId);
    return found?.tenantId === tenantId ? found : undefined;
  }
}
