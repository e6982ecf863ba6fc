import {
  normalizeEmail,
  ValidationError,
  type Clock,
  type IdGenerator,
  type PasswordHasher,
  type User,
  type UserRepository,
} from '@pushline/domain';

export const PASSWORD_MIN_LENGTH = 12;

/** Creates a user, or returns the existing one with that email (idempotent, used for seeding). */
export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { email: string; password: string }): Promise<User> {
    const email = normalizeEmail(input.email);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ValidationError('email', 'email is not a valid address');
    if (input.password.length < PASSWORD_MIN_LENGTH) {
      throw new ValidationError('password', `password must be at least ${PASSWORD_MIN_LENGTH} characters`);
    }
    const existing = await this.users.findByEmail(email);
    if (existing) return existing;
    return this.users.upsertByEmail({
      id: this.ids.next(),
      email,
      passwordHash: await this.passwords.hash(input.password),
      createdAt: this.clock.now(),
    });
  }
}
