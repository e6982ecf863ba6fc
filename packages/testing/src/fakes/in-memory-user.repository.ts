import { encodeKeysetCursor, decodeKeysetCursor, oldestFirst, type Page, type User, type UserRepository } from '@pushline/domain';

export class InMemoryUserRepository implements UserRepository {
  private readonly users = new Map<string, User>();
  /** Ids passed to `deleteWithData`, in order. */
  readonly deleted: string[] = [];

  async findById(id: string): Promise<User | null> {
    return this.users.get(id) ?? null;
  }

  async findByEmail(email: string): Promise<User | null> {
    return [...this.users.values()].find((u) => u.email === email) ?? null;
  }

  async findByExternalId(tenantId: string, externalId: string): Promise<User | null> {
    return [...this.users.values()].find((u) => u.tenantId === tenantId && u.externalId === externalId) ?? null;
  }

  async upsertByEmail(user: User): Promise<User> {
    // No await between the check and the insert: concurrent callers must not both insert.
    const existing = [...this.users.values()].find(
      (u) => u.email === user.email || (user.externalId !== null && u.tenantId === user.tenantId && u.externalId === user.externalId),
    );
    if (existing) return existing;
    this.users.set(user.id, user);
    return user;
  }

  async listByTenant(tenantId: string, { limit, after }: { limit: number; after?: string }): Promise<Page<User>> {
    const cursor = after ? decodeKeysetCursor(after) : null;
    const rows = [...this.users.values()]
      .filter((u) => u.tenantId === tenantId && (!cursor || oldestFirst(u, cursor) > 0))
      .sort(oldestFirst);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page, nextCursor: rows.length > limit && last ? encodeKeysetCursor(last) : null };
  }

  async setDisabled(id: string, disabledAt: Date | null): Promise<User | null> {
    const user = this.users.get(id);
    if (!user) return null;
    const updated = { ...user, disabledAt };
    this.users.set(id, updated);
    return updated;
  }

  /** Every stored user, for fakes that act on a whole tenant. */
  all(): IterableIterator<User> {
    return this.users.values();
  }

  async deleteWithData(id: string): Promise<boolean> {
    this.deleted.push(id);
    return this.users.delete(id);
  }
}
