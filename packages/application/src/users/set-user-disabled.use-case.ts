import { NotFoundError, type Clock, type User, type UserRepository } from '@pushline/domain';

/**
 * Disables or re-enables a user (operator API). From the next request on their tokens are refused
 * (`Authenticate` reads the flag); the caller closes their open streams on every instance.
 */
export class SetUserDisabled {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly userId: string; readonly disabled: boolean }): Promise<User> {
    const current = await this.users.findById(input.userId);
    if (!current) throw new NotFoundError('user', input.userId);
    // Disabling twice keeps the first time it happened.
    const disabledAt = input.disabled ? (current.disabledAt ?? this.clock.now()) : null;
    const updated = await this.users.setDisabled(input.userId, disabledAt);
    if (!updated) throw new NotFoundError('user', input.userId);
    return updated;
  }
}
