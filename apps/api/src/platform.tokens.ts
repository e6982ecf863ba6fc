/**
 * Service identifiers of tenants, users' admin, apps and external identity (issue #10). Kept apart from
 * tokens.ts until the composition moves to one module per feature.
 */
export const PLATFORM = {
  TenantRepository: Symbol('TenantRepository'),
  CreateTenant: Symbol('CreateTenant'),
  ListTenants: Symbol('ListTenants'),
  ListTenantUsers: Symbol('ListTenantUsers'),
  SetUserDisabled: Symbol('SetUserDisabled'),
  DeleteUser: Symbol('DeleteUser'),
} as const;
