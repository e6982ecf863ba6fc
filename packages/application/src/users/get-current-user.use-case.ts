import { AuthenticationError, type UserRepository } from '@pushline/domain';

export interface CurrentUser {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly createdAt: Date;
}

/** The authenticated user's profile. A token for a user that no longer exists is not valid. */
export class GetCurrentUser {
  constructor(private readonly users: UserRepository) {}

  async execute(userId: string): Promise<CurrentUser> {
    const user = await this.users.findById(userId);
    if (!user) throw new AuthenticationError('the user of this token no longer exists');
    return { id: user.id, tenantId: user.tenantId, email: user.email, createdAt: user.createdAt };
  }
}
