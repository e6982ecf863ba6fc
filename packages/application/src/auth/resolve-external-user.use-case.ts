import {
  AuthenticationError,
  isValidEmail,
  normalizeEmail,
  type Clock,
  type ExternalIdentityClaims,
  type IdGenerator,
  type TenantRepository,
  type User,
  type UserRepository,
} from '@pushline/domain';

/**
 * The Pushline user behind an external issuer's token: found by (tenant, user claim), or provisioned on
 * first use. Never matched by email, so a token that claims someone's email cannot take over their account.
 */
export class ResolveExternalUser {
  constructor(
    private readonly users: UserRepository,
    private readonly tenants: TenantRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(claims: ExternalIdentityClaims): Promise<User> {
    const known = await this.users.findByExternalId(claims.tenantId, claims.externalId);
    if (known) return known;
    if (!(await this.tenants.findById(claims.tenantId))) throw new AuthenticationError('the access token names an unknown tenant');
    const id = this.ids.next();
    const claimed = claims.email ? normalizeEmail(claims.email) : '';
    // Emails are unique across the platform; a taken (or missing) one gets an address of its own that never receives mail.
    const fallback = `${id}@external.invalid`;
    const candidate = (email: string): User => ({ id, tenantId: claims.tenantId, email, passwordHash: null, externalId: claims.externalId, disabledAt: null, createdAt: this.clock.now() });
    let stored = await this.users.upsertByEmail(candidate(isValidEmail(claimed) ? claimed : fallback));
    if (stored.externalId !== claims.externalId || stored.tenantId !== claims.tenantId) stored = await this.users.upsertByEmail(candidate(fallback));
    // A concurrent first request may have provisioned the same external user: both get that one.
    return stored;
  }
}
