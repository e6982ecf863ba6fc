import {
  ConflictError,
  isValidEmail,
  normalizeEmail,
  NotFoundError,
  ValidationError,
  type Clock,
  type IdGenerator,
  type PasswordHasher,
  type TenantRepository,
  type User,
  type UserRepository,
} from '@pushline/domain';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

export interface RegisterUserInput {
  readonly tenantId: string;
  readonly email: string;
  /** Without one the user cannot log in here (an app or an external issuer reaches them instead). */
  readonly password?: string;
}

/** Creates a user in a tenant (admin API, self-registration, demo seed). A taken email is a 409. */
export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly tenants: TenantRepository,
    private readonly passwords: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: RegisterUserInput): Promise<User> {
    const email = normalizeEmail(input.email);
    if (!isValidEmail(email)) throw new ValidationError('email', 'email is not a valid address');
    if (input.password !== undefined && (input.password.length < PASSWORD_MIN_LENGTH || input.password.length > PASSWORD_MAX_LENGTH)) {
      throw new ValidationError('password', `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
    }
    if (!(await this.tenants.findById(input.tenantId))) throw new NotFoundError('tenant', input.tenantId);
    const id = this.ids.next();
    const stored = await this.users.upsertByEmail({
      id,
      tenantId: input.tenantId,
      email,
      passwordHash: input.password === undefined ? null : await this.passwords.hash(input.password),
      externalId: null,
      disabledAt: null,
      createdAt: this.clock.now(),
    });
    // Emails are unique across the platform; saying so to an operator (or a self-registering user of an
    // open tenant) is the usual sign-up behaviour.
    if (stored.id !== id) throw new ConflictError('a user with this email exists', { code: 'email_taken', field: 'email' });
    return stored;
  }
}
