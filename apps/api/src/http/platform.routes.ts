import type { RegisterUser, StreamHub } from '@pushline/application';
import { Router } from 'express';
import type { Container } from 'inversify';
import type { Config } from '../config.js';
import { PLATFORM } from '../platform.tokens.js';
import { TOKENS } from '../tokens.js';
import { requireAdmin } from './admin-auth.middleware.js';
import { registrationRoutes } from './registration.routes.js';
import { tenantAdminRoutes } from './tenant-admin.routes.js';

export interface PlatformRoutesDeps {
  readonly hub: StreamHub;
  readonly config: Config;
  readonly onUserRevoked?: (userId: string) => void;
}

/**
 * Issue #10's routes (tenants, users' admin, self-registration), resolved from the container in one
 * place until the composition moves to one module per feature.
 */
export function platformRoutes(container: Container, deps: PlatformRoutesDeps): Router {
  const router = Router();
  const registerUser = container.get<RegisterUser>(TOKENS.RegisterUser);
  router.use(
    tenantAdminRoutes({
      requireAdmin: requireAdmin(deps.config.ops.adminToken),
      createTenant: container.get(PLATFORM.CreateTenant),
      listTenants: container.get(PLATFORM.ListTenants),
      registerUser,
      listTenantUsers: container.get(PLATFORM.ListTenantUsers),
      setUserDisabled: container.get(PLATFORM.SetUserDisabled),
      deleteUser: container.get(PLATFORM.DeleteUser),
      revokeUser: (userId) => {
        deps.hub.closeUser(userId);
        deps.onUserRevoked?.(userId);
      },
    }),
  );
  if (deps.config.selfRegistrationTenantId) router.use(registrationRoutes({ registerUser, tenantId: deps.config.selfRegistrationTenantId }));
  return router;
}
