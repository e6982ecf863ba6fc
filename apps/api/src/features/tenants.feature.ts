import { BroadcastToTenant, CreateTenant, DeleteTenant, DeleteUser, ListTenants, ListTenantUsers, RegisterUser, SetTenantDisabled, SetUserDisabled } from '@pushline/application';
import { EventFactory } from '@pushline/domain';
import { StreamHub } from '@pushline/stream-engine';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { DEMO_TENANT } from '../demo-users.js';
import { Ports } from '../composition/ports.js';
import { registrationRoutes } from '../http/registration.routes.js';
import { createRateLimiter } from '../http/rate-limits.js';
import { tenantAdminRoutes } from '../http/tenant-admin.routes.js';
import { tenantBroadcastRoutes } from '../http/tenant-broadcast.routes.js';

/** Tenants and their users: the operator's admin API (with its tenant broadcast), and self-registration when configured. */
export const tenantsFeature = defineFeature({
  name: 'tenants',
  register(r) {
    r.provide(CreateTenant, (c) => new CreateTenant(c.get(Ports.TenantRepository), c.get(Ports.IdGenerator), c.get(Ports.Clock)));
    r.provide(ListTenants, (c) => new ListTenants(c.get(Ports.TenantRepository)));
    r.provide(ListTenantUsers, (c) => new ListTenantUsers(c.get(Ports.TenantRepository), c.get(Ports.UserRepository)));
    r.provide(SetUserDisabled, (c) => new SetUserDisabled(c.get(Ports.UserRepository), c.get(Ports.Clock)));
    r.provide(DeleteUser, (c) => new DeleteUser(c.get(Ports.UserRepository)));
    r.provide(SetTenantDisabled, (c) => new SetTenantDisabled(c.get(Ports.TenantRepository), c.get(Ports.UserRepository), c.get(Ports.Clock)));
    // The seeded demo tenant is deleted only with ?confirm=<its id>.
    r.provide(DeleteTenant, (c) => new DeleteTenant(c.get(Ports.TenantRepository), [DEMO_TENANT.id]));
    r.provide(BroadcastToTenant, (c) => new BroadcastToTenant(c.get(Ports.TenantRepository), c.get(Ports.UnitOfWork), c.get(EventFactory)));
    // new-use-case: bindings
  },
  routes(services, http) {
    const hub = services.get(StreamHub);
    const router = Router();
    router.use(
      tenantAdminRoutes({
        requireAdmin: http.requireAdmin,
        createTenant: services.get(CreateTenant),
        listTenants: services.get(ListTenants),
        registerUser: services.get(RegisterUser),
        listTenantUsers: services.get(ListTenantUsers),
        setUserDisabled: services.get(SetUserDisabled),
        deleteUser: services.get(DeleteUser),
        setTenantDisabled: services.get(SetTenantDisabled),
        deleteTenant: services.get(DeleteTenant),
        revokeUser: (userId) => {
          hub.closeUser(userId);
          http.hooks.onUserRevoked?.(userId);
        },
      }),
    );
    const { perTenant } = http.config.writeRateLimits;
    router.use(
      tenantBroadcastRoutes({
        requireAdmin: http.requireAdmin,
        // The tenant-writes budget (TENANT_WRITE_RATE_LIMIT_PER_MINUTE), counted per broadcast tenant.
        broadcastLimit: createRateLimiter(
          {
            name: 'tenant-broadcasts',
            windowMs: 60_000,
            limit: perTenant,
            keyOf: (req) => (typeof req.params.tenantId === 'string' ? req.params.tenantId : undefined),
            message: `at most ${perTenant} broadcasts per minute per tenant; retry after the Retry-After seconds`,
          },
          services.get(Ports.RateLimitStores),
          http.onRateLimitStoreError,
        ),
        broadcastToTenant: services.get(BroadcastToTenant),
      }),
    );
    const tenantId = http.config.selfRegistrationTenantId;
    if (tenantId) router.use(registrationRoutes({ registerUser: services.get(RegisterUser), tenantId }));
    // new-use-case: routes
    return router;
  },
});
