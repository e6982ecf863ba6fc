import { decodeKeysetCursor, encodeKeysetCursor, oldestFirst, type Page, type Tenant, type TenantRepository } from '@pushline/domain';

export class InMemoryTenantRepository implements TenantRepository {
  private readonly tenants = new Map<string, Tenant>();

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
}
