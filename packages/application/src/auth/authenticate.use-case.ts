import { AuthenticationError, sessionEndAt, type AccessClaims, type Clock, type SessionEnd, type SessionStore, type TokenService } from '@pushline/domain';

const ENDED: Record<SessionEnd, string> = {
  revoked: 'the session was logged out',
  expired: 'the session has ended; log in again',
  idle: 'the session ended after a long idle time; log in again',
};

/**
 * Turns a bearer token or session cookie into verified claims. A signature is not enough: the token's
 * session must exist (its user too: sessions go with their user), be active and belong to the token's
 * subject, so logout and user deletion end every token of the session at once, on every instance.
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
  ) {}

  async execute(token: string | undefined): Promise<AccessClaims> {
    if (!token) throw new AuthenticationError('an access token is required (Authorization: Bearer, or the session cookie)');
    const claims = this.tokens.verify(token);
    const session = await this.sessions.find(claims.sessionId);
    if (!session || session.userId !== claims.userId) throw new AuthenticationError('the access token is not valid');
    const end = sessionEndAt(session, this.clock.now());
    if (end) throw new AuthenticationError(ENDED[end]);
    return claims;
  }
}
