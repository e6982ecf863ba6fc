import type { AccessClaims, Clock, SessionStore } from '@pushline/domain';

/**
 * Revokes the login session behind a token, so every token of it (the ones refreshed from it too)
 * stops working everywhere at once. The revocation lasts as long as the session row: until the
 * session's absolute end, past which no token of it could work anyway.
 */
export class LogOut {
  constructor(
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
  ) {}

  async execute(claims: AccessClaims): Promise<void> {
    await this.sessions.revoke({ tenantId: claims.tenantId, sessionId: claims.sessionId }, this.clock.now());
  }
}
