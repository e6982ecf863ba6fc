import type { User, UserRepository } from '@pushline/domain';

export class InMemoryUserRepository implements UserRepository {
  private readonly users = new Map<string, User>();

  async findById(id: string): Promise<User | null> {
    return this.users.get(id) ?? null;
  }

  async findByEmail(email: string): Promise<User | null> {
    return [...this.users.values()].find((u) => u.email === email) ?? null;
  }

  async upsertByEmail(user: User): Promise<User> {
    // No await between the check and the insert: concurrent callers must not both insert.
    const existing = [...this.users.values()].find((u) => u.email === user.email);
    if (existing) return existing;
    this.users.set(user.id, user);
    return user;
  }
}
