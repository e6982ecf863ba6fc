import { ConflictError, NotFoundError, type TenantRepository } from '@pushline/domain';

export interface DeleteTenantInput {
  readonly tenantId: string;
  /** Must repeat `tenantId` to delete a protected tenant (the seeded demo tenant). */
  readonly confirm?: string;
}

/**
 * Removes a tenant and everything it owns, in one transaction (operator API). Protected tenants (the
 * seeded demo tenant) go only when the request confirms the id, so a stray script cannot take the demo
 * away. Answers the removed users' ids; the caller closes their open streams on every instance.
 */
export class DeleteTenant {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly protectedTenantIds: readonly string[],
  ) {}

  async execute(input: DeleteTenantInput): Promise<readonly string[]> {
    if (this.protectedTenantIds.includes(input.tenantId) && input.confirm !== input.tenantId) {
      throw new ConflictError(`tenant ${input.tenantId} is protected: repeat its id in ?confirm= to delete it with all its data`, {
        code: 'tenant_protected',
        field: 'confirm',
      });
    }
    const removed = await this.tenants.deleteWithData(input.tenantId);
    if (!removed) throw new NotFoundError('tenant', input.tenantId);
    return removed;
  }
}
