import {
  AuthenticationError,
  type AccessClaims,
  type IssuedToken,
  type SessionRevocationList,
  type TokenService,
} from '@pushline/domain';

export interface RefreshTokenResult extends IssuedToken {
  readonly sessionId: string;
}

/**
 * Exchanges a still-valid token for a fresh one of the same login session, so a client warned by
 * `stream.reauth` keeps its session without asking for the password again. Logout revokes the
 * session, and with it every token the session was refreshed to.
 */
export class RefreshToken {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: SessionRevocationList,
  ) {}

  async execute(claims: AccessClaims): Promise<RefreshTokenResult> {
    // The caller authenticated, but a logout may have landed since: never extend a revoked session.
    if (await this.revocations.isRevoked(claims.sessionId)) throw new AuthenticationError('the session was logged out');
    // Its lifetime is the issuer's to extend; a Pushline token would outlive the issuer's decision.
    if (claims.external) throw new AuthenticationError('tokens of the external issuer are refreshed at the issuer');
    const issued = this.tokens.issue({ userId: claims.userId, tenantId: claims.tenantId, email: claims.email, sessionId: claims.sessionId });
    return { ...issued, sessionId: claims.sessionId };
  }
}
