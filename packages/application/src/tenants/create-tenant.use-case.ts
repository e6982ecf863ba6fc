import { TENANT_LIMITS, ValidationError, type Clock, type IdGenerator, type Tenant, type TenantRepository } from '@pushline/domain';

/** Registers a tenant (operator API). */
export class CreateTenant {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly name: string }): Promise<Tenant> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > TENANT_LIMITS.nameMax) {
      throw new ValidationError('name', `name must be 1 to ${TENANT_LIMITS.nameMax} characters`);
    }
    const tenant = { id: this.ids.next(), name, createdAt: this.clock.now(), disabledAt: null };
    await this.tenants.save(tenant);
    return tenant;
  }
}
