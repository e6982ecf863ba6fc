import {
  AuthenticationError,
  TenantDisabledError,
  nextIdleEnd,
  normalizeEmail,
  type Clock,
  type IdGenerator,
  type IssuedToken,
  type PasswordHasher,
  type SessionLifetimes,
  type SessionStore,
  type TenantRepository,
  type TokenService,
  type UserRepository,
} from '@pushline/domain';

export interface LogInInput {
  readonly email: string;
  readonly password: string;
}

export interface LogInResult extends IssuedToken {
  readonly user: { readonly id: string; readonly email: string };
  readonly sessionId: string;
}

/**
 * Exchanges credentials for a new login session and its first access token. One generic error for
 * unknown email and wrong password.
 */
export class LogIn {
  /** Verified against when the email is unknown, so both failures cost the same time. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly ids: IdGenerator,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
    private readonly lifetimes: SessionLifetimes,
    private readonly tenants: TenantRepository,
  ) {}

  async execute({ email, password }: LogInInput): Promise<LogInResult> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    this.decoyHash ??= this.passwords.hash('decoy-password-never-matches');
    const matches = await this.passwords.verify(password, user?.passwordHash ?? (await this.decoyHash));
    // A disabled user gets the same answer as a wrong password: the login form reveals nothing more.
    if (!user || !matches || user.disabledAt) throw new AuthenticationError('email or password is wrong');
    // Only after the password matched: whether a tenant is disabled is told to its own users alone.
    if ((await this.tenants.findById(user.tenantId))?.disabledAt) throw new TenantDisabledError();
    const sessionId = this.ids.next();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.lifetimes.absoluteSeconds * 1000);
    const idleExpiresAt = nextIdleEnd({ expiresAt }, now, this.lifetimes);
    await this.sessions.create({ id: sessionId, tenantId: user.tenantId, userId: user.id, createdAt: now, expiresAt, idleExpiresAt, revokedAt: null });
    const issued = this.tokens.issue({ userId: user.id, tenantId: user.tenantId, email: user.email, sessionId, notAfter: expiresAt });
    return { ...issued, sessionId, user: { id: user.id, email: user.email } };
  }
}
