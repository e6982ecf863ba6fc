import {
  AuthenticationError,
  TenantDisabledError,
  sessionEndAt,
  type AccessClaims,
  type Clock,
  type ExternalTokenVerifier,
  type SessionCheckReader,
  type SessionEnd,
  type SessionStore,
  type TenantRepository,
  type TokenService,
  type User,
  type UserRepository,
} from '@pushline/domain';
import type { ResolveExternalUser } from './resolve-external-user.use-case.js';

const ENDED: Record<SessionEnd, string> = {
  revoked: 'the session was logged out',
  expired: 'the session has ended; log in again',
  idle: 'the session ended after a long idle time; log in again',
};

/** An external issuer's verifier and the provisioning of its users; absent when none is configured. */
export interface ExternalIdentity {
  readonly verifier: ExternalTokenVerifier;
  readonly resolveUser: ResolveExternalUser;
}

/**
 * Turns a bearer token or session cookie into verified claims: Pushline's own tokens, or (when
 * configured) an external issuer's. A signature is not enough: the token's session must exist (its
 * user too: sessions go with their user), be active and belong to the token's subject, so logout and
 * user deletion end every token of the session at once, on every instance. Users an operator
 * disabled, or moved out of the token's tenant, are refused too, and so is everyone of a tenant the
 * operator disabled (403 `tenant_disabled`). The three primary-key lookups are one `SessionCheckReader`
 * read: one query where the adapter has one (decision 56), else the three ports side by side.
 */
export class Authenticate {
  private readonly check: SessionCheckReader;

  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
    users: UserRepository,
    private readonly tenants: TenantRepository,
    private readonly external?: ExternalIdentity,
    check?: SessionCheckReader,
  ) {
    this.check = check ?? {
      read: async (ref, userId) => {
        const [session, user, tenant] = await Promise.all([sessions.find(ref), users.findById(userId), tenants.findById(ref.tenantId)]);
        return { session, user, tenant };
      },
    };
  }

  async execute(token: string | undefined): Promise<AccessClaims> {
    if (!token) throw new AuthenticationError('an access token is required (Authorization: Bearer, or the session cookie)');
    if (this.external?.verifier.accepts(token)) return this.externalClaims(token, this.external);
    const claims = this.tokens.verify(token);
    const { session, user, tenant } = await this.check.read({ tenantId: claims.tenantId, sessionId: claims.sessionId }, claims.userId);
    if (!session || session.userId !== claims.userId) throw new AuthenticationError('the access token is not valid');
    const end = sessionEndAt(session, this.clock.now());
    if (end) throw new AuthenticationError(ENDED[end]);
    if (!user || user.tenantId !== claims.tenantId) throw new AuthenticationError('the user of this token no longer exists');
    assertEnabled(user);
    if (tenant?.disabledAt) throw new TenantDisabledError();
    return claims;
  }

  /**
   * An external token gets a login session of its own on first sight (id `ext:` + `jti`, else its
   * signature: unique per token), ending when the token does, so logout revokes it like any session.
   */
  private async externalClaims(token: string, external: ExternalIdentity): Promise<AccessClaims> {
    const claims = await external.verifier.verify(token);
    const sessionId = `ext:${claims.tokenId ?? token.slice(token.lastIndexOf('.') + 1).slice(0, 86)}`;
    // Before provisioning: a disabled tenant gets no new users either.
    if ((await this.tenants.findById(claims.tenantId))?.disabledAt) throw new TenantDisabledError();
    const user = await external.resolveUser.execute(claims);
    const ref = { tenantId: user.tenantId, sessionId };
    const session = await this.sessions.find(ref);
    if (session) {
      if (session.userId !== user.id) throw new AuthenticationError('the access token is not valid');
      const end = sessionEndAt(session, this.clock.now());
      if (end) throw new AuthenticationError(ENDED[end]);
    } else {
      const first = { id: sessionId, tenantId: user.tenantId, userId: user.id, createdAt: this.clock.now(), expiresAt: claims.expiresAt, idleExpiresAt: claims.expiresAt, revokedAt: null };
      // Two first requests with one token race here; the loser finds the winner's row.
      await this.sessions.create(first).catch(async (err: unknown) => {
        if (!(await this.sessions.find(ref))) throw err;
      });
    }
    assertEnabled(user);
    return { userId: user.id, tenantId: user.tenantId, email: user.email, sessionId, expiresAt: claims.expiresAt, external: true };
  }
}

function assertEnabled(user: User): void {
  if (user.disabledAt) throw new AuthenticationError('the user is disabled');
}
