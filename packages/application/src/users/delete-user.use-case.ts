import { NotFoundError, type UserRepository } from '@pushline/domain';

/** Removes a user and their data (operator API); the caller closes their open streams on every instance. */
export class DeleteUser {
  constructor(private readonly users: UserRepository) {}

  async execute(userId: string): Promise<void> {
    if (!(await this.users.deleteWithData(userId))) throw new NotFoundError('user', userId);
  }
}
