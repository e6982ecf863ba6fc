import { decodeKeysetCursor, encodeKeysetCursor, oldestFirst, type Page, type Tenant, type TenantRepository } from '@pushline/domain';
import type { InMemoryUserRepository } from './in-memory-user.repository.js';

/** Tenants in memory; given the user fake, `deleteWithData` removes the tenant's users too. */
export class InMemoryTenantRepository implements TenantRepository {
  private readonly tenants = new Map<string, Tenant>();
  /** Ids passed to `deleteWithData` that existed, in order. */
  readonly deleted: string[] = [];

  constructor(private readonly users?: InMemoryUserRepository) {}

  async save(tenant: Tenant): Promise<void> {
    if (!this.tenants.has(tenant.id)) this.tenants.set(tenant.id, tenant);
  }

  async findById(id: string): Promise<Tenant | null> {
    return this.tenants.get(id) ?? null;
  }

  async list({ limit, after }: { limit: number; after?: string }): Promise<Page<Tenant>> {
    const cursor = after ? decodeKeysetCursor(after) : null;
    const rows = [...this.tenants.values()].filter((t) => !cursor || oldestFirst(t, cursor) > 0).sort(oldestFirst);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page, nextCursor: rows.length > limit && last ? encodeKeysetCursor(last) : null };
  }

  async setDisabled(id: string, disabledAt: Date | null): Promise<Tenant | null> {
    const tenant = this.tenants.get(id);
    if (!tenant) return null;
    const updated = { ...tenant, disabledAt };
    this.tenants.set(id, updated);
    return updated;
  }

  async deleteWithData(id: string): Promise<readonly string[] | null> {
    if (!this.tenants.delete(id)) return null;
    this.deleted.push(id);
    const removed = this.users ? [...this.users.all()].filter((u) => u.tenantId === id).map((u) => u.id).sort() : [];
    for (const userId of removed) await this.users?.deleteWithData(userId);
    return removed;
  }
}
