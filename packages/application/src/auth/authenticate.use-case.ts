import { AuthenticationError, type AccessClaims, type SessionRevocationList, type TokenService } from '@pushline/domain';

/** Turns a bearer token or session cookie into verified claims, refusing logged-out sessions. */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: SessionRevocationList,
  ) {}

  async execute(token: string | undefined): Promise<AccessClaims> {
    if (!token) throw new AuthenticationError('an access token is required (Authorization: Bearer, or the session cookie)');
    const claims = this.tokens.verify(token);
    if (await this.revocations.isRevoked(claims.sessionId)) throw new AuthenticationError('the session was logged out');
    return claims;
  }
}
