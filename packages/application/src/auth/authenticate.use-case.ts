import { AuthenticationError, type AccessClaims, type SessionRevocationList, type TokenService, type UserRepository } from '@pushline/domain';

/**
 * Turns a bearer token or session cookie into verified claims, refusing logged-out sessions and users
 * an operator disabled or deleted since the token was issued (one primary-key lookup per request).
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: SessionRevocationList,
    private readonly users: UserRepository,
  ) {}

  async execute(token: string | undefined): Promise<AccessClaims> {
    if (!token) throw new AuthenticationError('an access token is required (Authorization: Bearer, or the session cookie)');
    const claims = this.tokens.verify(token);
    const [revoked, user] = await Promise.all([this.revocations.isRevoked(claims.sessionId), this.users.findById(claims.userId)]);
    if (revoked) throw new AuthenticationError('the session was logged out');
    if (!user || user.tenantId !== claims.tenantId) throw new AuthenticationError('the user of this token no longer exists');
    if (user.disabledAt) throw new AuthenticationError('the user is disabled');
    return claims;
  }
}
