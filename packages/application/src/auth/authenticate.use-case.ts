import {
  AuthenticationError,
  type AccessClaims,
  type ExternalTokenVerifier,
  type SessionRevocationList,
  type TokenService,
  type User,
  type UserRepository,
} from '@pushline/domain';
import type { ResolveExternalUser } from './resolve-external-user.use-case.js';

/** An external issuer's verifier and the provisioning of its users; absent when none is configured. */
export interface ExternalIdentity {
  readonly verifier: ExternalTokenVerifier;
  readonly resolveUser: ResolveExternalUser;
}

/**
 * Turns a bearer token or session cookie into verified claims: Pushline's own tokens, or (when
 * configured) an external issuer's. Refuses logged-out sessions and users an operator disabled or
 * deleted since the token was issued (one primary-key lookup per request).
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: SessionRevocationList,
    private readonly users: UserRepository,
    private readonly external?: ExternalIdentity,
  ) {}

  async execute(token: string | undefined): Promise<AccessClaims> {
    if (!token) throw new AuthenticationError('an access token is required (Authorization: Bearer, or the session cookie)');
    if (this.external?.verifier.accepts(token)) return this.externalClaims(token, this.external);
    const claims = this.tokens.verify(token);
    const [revoked, user] = await Promise.all([this.revocations.isRevoked(claims.sessionId), this.users.findById(claims.userId)]);
    if (revoked) throw new AuthenticationError('the session was logged out');
    if (!user || user.tenantId !== claims.tenantId) throw new AuthenticationError('the user of this token no longer exists');
    assertEnabled(user);
    return claims;
  }

  private async externalClaims(token: string, external: ExternalIdentity): Promise<AccessClaims> {
    const claims = await external.verifier.verify(token);
    // `jti` when the issuer sets one, else the token's signature: unique per token, so logout revokes just it.
    const sessionId = `ext:${claims.tokenId ?? token.slice(token.lastIndexOf('.') + 1).slice(0, 86)}`;
    if (await this.revocations.isRevoked(sessionId)) throw new AuthenticationError('the session was logged out');
    const user = await external.resolveUser.execute(claims);
    assertEnabled(user);
    return { userId: user.id, tenantId: user.tenantId, email: user.email, sessionId, expiresAt: claims.expiresAt, external: true };
  }
}

function assertEnabled(user: User): void {
  if (user.disabledAt) throw new AuthenticationError('the user is disabled');
}
