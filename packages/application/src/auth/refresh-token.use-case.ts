import {
  AuthenticationError,
  nextIdleEnd,
  sessionEndAt,
  type AccessClaims,
  type Clock,
  type IssuedToken,
  type SessionLifetimes,
  type SessionStore,
  type TokenService,
} from '@pushline/domain';

export interface RefreshTokenResult extends IssuedToken {
  readonly sessionId: string;
}

/**
 * Exchanges a still-valid token for a fresh one of the same login session, so a client warned by
 * `stream.reauth` keeps its session without asking for the password again. It moves the session's
 * idle end, never its absolute end: the new token expires by then at the latest.
 */
export class RefreshToken {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
    private readonly lifetimes: SessionLifetimes,
  ) {}

  async execute(claims: AccessClaims): Promise<RefreshTokenResult> {
    // Its lifetime is the issuer's to extend; a Pushline token would outlive the issuer's decision.
    if (claims.external) throw new AuthenticationError('tokens of the external issuer are refreshed at the issuer');
    // The caller authenticated, but a logout may have landed since: never extend an ended session.
    const ref = { tenantId: claims.tenantId, sessionId: claims.sessionId };
    const session = await this.sessions.find(ref);
    const now = this.clock.now();
    if (!session || session.userId !== claims.userId || sessionEndAt(session, now)) {
      throw new AuthenticationError('the session was logged out or has ended');
    }
    if (!(await this.sessions.extendIdle(ref, nextIdleEnd(session, now, this.lifetimes)))) {
      throw new AuthenticationError('the session was logged out or has ended');
    }
    const issued = this.tokens.issue({ userId: claims.userId, tenantId: claims.tenantId, email: claims.email, sessionId: session.id, notAfter: session.expiresAt });
    return { ...issued, sessionId: session.id };
  }
}
