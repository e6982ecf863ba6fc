import { CreateTenant, DeleteUser, ListTenants, ListTenantUsers, SetUserDisabled } from '@pushline/application';
import { PrismaTenantRepository, type Database } from '@pushline/persistence-prisma';
import { ContainerModule } from 'inversify';
import { PLATFORM } from '../platform.tokens.js';
import { TOKENS } from '../tokens.js';

/** Tenants and the operator's user administration. */
export function tenancyModule(db: Database): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(PLATFORM.TenantRepository).toConstantValue(new PrismaTenantRepository(db.prisma));
    bind(PLATFORM.CreateTenant).toDynamicValue((c) => new CreateTenant(c.get(PLATFORM.TenantRepository), c.get(TOKENS.IdGenerator), c.get(TOKENS.Clock)));
    bind(PLATFORM.ListTenants).toDynamicValue((c) => new ListTenants(c.get(PLATFORM.TenantRepository)));
    bind(PLATFORM.ListTenantUsers).toDynamicValue((c) => new ListTenantUsers(c.get(PLATFORM.TenantRepository), c.get(TOKENS.UserRepository)));
    bind(PLATFORM.SetUserDisabled).toDynamicValue((c) => new SetUserDisabled(c.get(TOKENS.UserRepository), c.get(TOKENS.Clock)));
    bind(PLATFORM.DeleteUser).toDynamicValue((c) => new DeleteUser(c.get(TOKENS.UserRepository)));
  });
}
