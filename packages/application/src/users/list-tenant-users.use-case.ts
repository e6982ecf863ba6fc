import { NotFoundError, type Page, type TenantRepository, type User, type UserRepository } from '@pushline/domain';

/** A tenant's users, oldest first, a page at a time (operator API); an unknown tenant is a 404. */
export class ListTenantUsers {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly users: UserRepository,
  ) {}

  async execute(tenantId: string, query: { readonly limit: number; readonly after?: string }): Promise<Page<User>> {
    if (!(await this.tenants.findById(tenantId))) throw new NotFoundError('tenant', tenantId);
    return this.users.listByTenant(tenantId, query);
  }
}
