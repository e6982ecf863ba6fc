import type { CreateTenant, DeleteTenant, DeleteUser, ListTenants, ListTenantUsers, RegisterUser, SetTenantDisabled, SetUserDisabled } from '@pushline/application';
import { TENANT_LIMITS, type Tenant, type User } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from './errors.js';

export const ResourceId = z.string().min(1).max(64);
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

export const CreateTenantBody = z.object({ name: z.string().trim().min(1, 'must not be empty').max(TENANT_LIMITS.nameMax) });
export const CreateUserBody = z.object({
  email: z.string().min(3).max(254),
  password: z.string().min(12).max(200).optional(),
});
export const PatchUserBody = z.object({ disabled: z.boolean() });
export const PatchTenantBody = z.object({ disabled: z.boolean() });
/** Protected tenants (the seeded demo) are deleted only when `confirm` repeats the tenant id. */
export const DeleteTenantQuery = z.object({ confirm: ResourceId.optional() });

export function toTenantJson(t: Tenant) {
  return { id: t.id, name: t.name, disabled: t.disabledAt !== null, disabledAt: t.disabledAt?.toISOString() ?? null, createdAt: t.createdAt.toISOString() };
}

export function toUserJson(u: User) {
  return {
    id: u.id,
    tenantId: u.tenantId,
    email: u.email,
    disabled: u.disabledAt !== null,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    external: u.externalId !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

export interface TenantAdminRoutesDeps {
  readonly requireAdmin: RequestHandler;
  readonly createTenant: CreateTenant;
  readonly listTenants: ListTenants;
  readonly registerUser: RegisterUser;
  readonly listTenantUsers: ListTenantUsers;
  readonly setUserDisabled: SetUserDisabled;
  readonly deleteUser: DeleteUser;
  readonly setTenantDisabled: SetTenantDisabled;
  readonly deleteTenant: DeleteTenant;
  /** Closes the user's open streams here and asks every other instance to close theirs. */
  readonly revokeUser: (userId: string) => void;
}

/** The operator's tenants (create, list, disable, delete) and users: `/api/v1/admin/tenants…` and `/api/v1/admin/users/:userId`. */
export function tenantAdminRoutes(deps: TenantAdminRoutesDeps): Router {
  const router = Router();
  router.use(['/admin/tenants', '/admin/users'], deps.requireAdmin);

  router.post('/admin/tenants', async (req, res) => {
    const tenant = await deps.createTenant.execute(parseInput(CreateTenantBody, req.body));
    res.status(201).location(`${req.baseUrl}/admin/tenants/${tenant.id}`).json(toTenantJson(tenant));
  });

  router.get('/admin/tenants', async (req, res) => {
    const { limit, cursor } = parseInput(PageQuery, req.query);
    const page = await deps.listTenants.execute({ limit, ...(cursor && { after: cursor }) });
    res.json({ items: page.items.map(toTenantJson), nextCursor: page.nextCursor });
  });

  // Disabling closes every stream of the tenant's users, here and on every other instance.
  router.patch('/admin/tenants/:tenantId', async (req, res) => {
    const { tenantId } = parseInput(z.object({ tenantId: ResourceId }), req.params);
    const { disabled } = parseInput(PatchTenantBody, req.body);
    const { tenant, userIds } = await deps.setTenantDisabled.execute({ tenantId, disabled });
    for (const userId of userIds) deps.revokeUser(userId);
    res.json(toTenantJson(tenant));
  });

  router.delete('/admin/tenants/:tenantId', async (req, res) => {
    const { tenantId } = parseInput(z.object({ tenantId: ResourceId }), req.params);
    const { confirm } = parseInput(DeleteTenantQuery, req.query);
    const removed = await deps.deleteTenant.execute({ tenantId, ...(confirm !== undefined && { confirm }) });
    for (const userId of removed) deps.revokeUser(userId);
    res.status(204).end();
  });

  router.post('/admin/tenants/:tenantId/users', async (req, res) => {
    const { tenantId } = parseInput(z.object({ tenantId: ResourceId }), req.params);
    const body = parseInput(CreateUserBody, req.body);
    const user = await deps.registerUser.execute({ tenantId, email: body.email, ...(body.password !== undefined && { password: body.password }) });
    res.status(201).json(toUserJson(user));
  });

  router.get('/admin/tenants/:tenantId/users', async (req, res) => {
    const { tenantId } = parseInput(z.object({ tenantId: ResourceId }), req.params);
    const { limit, cursor } = parseInput(PageQuery, req.query);
    const page = await deps.listTenantUsers.execute(tenantId, { limit, ...(cursor && { after: cursor }) });
    res.json({ items: page.items.map(toUserJson), nextCursor: page.nextCursor });
  });

  router.patch('/admin/users/:userId', async (req, res) => {
    const { userId } = parseInput(z.object({ userId: ResourceId }), req.params);
    const { disabled } = parseInput(PatchUserBody, req.body);
    const user = await deps.setUserDisabled.execute({ userId, disabled });
    if (disabled) deps.revokeUser(userId);
    res.json(toUserJson(user));
  });

  router.delete('/admin/users/:userId', async (req, res) => {
    const { userId } = parseInput(z.object({ userId: ResourceId }), req.params);
    await deps.deleteUser.execute(userId);
    deps.revokeUser(userId);
    res.status(204).end();
  });

  return router;
}
