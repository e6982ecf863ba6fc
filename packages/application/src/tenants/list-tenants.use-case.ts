import type { Page, Tenant, TenantRepository } from '@pushline/domain';

/** Every tenant, oldest first, a page at a time (operator API). */
export class ListTenants {
  constructor(private readonly tenants: TenantRepository) {}

  execute(query: { readonly limit: number; readonly after?: string }): Promise<Page<Tenant>> {
    return this.tenants.list(query);
  }
}
