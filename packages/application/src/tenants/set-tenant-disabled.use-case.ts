import { NotFoundError, type Clock, type Tenant, type TenantRepository, type UserRepository } from '@pushline/domain';

/** Pages of user ids read while disabling; bounded so a tenant of any size is walked in bounded steps. */
const PAGE = 500;
const MAX_PAGES = 10_000;

export interface TenantDisabled {
  readonly tenant: Tenant;
  /** Every user of the tenant when it was disabled (empty on re-enabling): the caller closes their streams. */
  readonly userIds: readonly string[];
}

/**
 * Disables or re-enables a tenant (operator API). From the next request on, its users' tokens and
 * logins and its apps' keys are refused (`Authenticate`, `LogIn` and `AuthenticateApp` read the flag).
 */
export class SetTenantDisabled {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly tenantId: string; readonly disabled: boolean }): Promise<TenantDisabled> {
    const current = await this.tenants.findById(input.tenantId);
    if (!current) throw new NotFoundError('tenant', input.tenantId);
    // Disabling twice keeps the first time it happened.
    const disabledAt = input.disabled ? (current.disabledAt ?? this.clock.now()) : null;
    const tenant = await this.tenants.setDisabled(input.tenantId, disabledAt);
    if (!tenant) throw new NotFoundError('tenant', input.tenantId);
    return { tenant, userIds: input.disabled ? await this.userIdsOf(tenant.id) : [] };
  }

  private async userIdsOf(tenantId: string): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { items, nextCursor } = await this.users.listByTenant(tenantId, { limit: PAGE, ...(after && { after }) });
      ids.push(...items.map((u) => u.id));
      if (!nextCursor) break;
      after = nextCursor;
    }
    return ids;
  }
}
