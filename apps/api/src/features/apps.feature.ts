import {
  AuthenticateApp,
  CreateNotification,
  DeclareAppEventType,
  DeclareAppNotificationRule,
  DeleteAppNotificationRule,
  InstallApp,
  IssueApiKey,
  ListApiKeys,
  ListAppEvents,
  ListAppNotificationRules,
  PublishAppEvent,
  PublishAppNotifications,
  RegisterApp,
  RevokeApiKey,
  UninstallApp,
} from '@pushline/application';
import { EventFactory } from '@pushline/domain';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { appAdminRoutes } from '../http/app-admin.routes.js';
import { appNotificationRuleRoutes } from '../http/app-notification-rule.routes.js';
import { appPublishRoutes } from '../http/app-publish.routes.js';
import { meAppsRoutes } from '../http/me-apps.routes.js';
import { createRateLimiter } from '../http/rate-limits.js';

/** Apps: registered by the operator, installed by users, publishing with API keys (docs/apps.md). */
export const appsFeature = defineFeature({
  name: 'apps',
  register(r) {
    r.provide(RegisterApp, (c) => new RegisterApp(c.get(Ports.TenantRepository), c.get(Ports.AppRepository), c.get(Ports.IdGenerator), c.get(Ports.Clock)));
    r.provide(
      IssueApiKey,
      (c) => new IssueApiKey(c.get(Ports.AppRepository), c.get(Ports.ApiKeyRepository), c.get(Ports.ApiKeyGenerator), c.get(Ports.IdGenerator), c.get(Ports.Clock)),
    );
    r.provide(RevokeApiKey, (c) => new RevokeApiKey(c.get(Ports.ApiKeyRepository), c.get(Ports.Clock)));
    r.provide(ListApiKeys, (c) => new ListApiKeys(c.get(Ports.AppRepository), c.get(Ports.ApiKeyRepository)));
    r.provide(AuthenticateApp, (c) => new AuthenticateApp(c.get(Ports.ApiKeyRepository), c.get(Ports.AppRepository), c.get(Ports.ApiKeyGenerator), c.get(Ports.Clock), c.get(Ports.TenantRepository), c.get(Ports.AppKeyCheckReader)));
    r.provide(InstallApp, (c) => new InstallApp(c.get(Ports.AppRepository), c.get(Ports.AppInstallationRepository), c.get(Ports.Clock)));
    r.provide(UninstallApp, (c) => new UninstallApp(c.get(Ports.AppRepository), c.get(Ports.AppInstallationRepository)));
    r.provide(DeclareAppEventType, (c) => new DeclareAppEventType(c.get(Ports.AppEventTypeRepository), c.get(Ports.JsonSchemaValidator), c.get(Ports.Clock)));
    r.provide(
      PublishAppEvent,
      (c) =>
        new PublishAppEvent(
          c.get(Ports.UnitOfWork),
          c.get(Ports.AppInstallationRepository),
          c.get(Ports.AppEventTypeRepository),
          c.get(Ports.JsonSchemaValidator),
          c.get(EventFactory),
          c.get(Ports.Clock),
        ),
    );
    r.provide(PublishAppNotifications, (c) => new PublishAppNotifications(c.get(Ports.AppInstallationRepository), c.get(CreateNotification)));
    r.provide(ListAppEvents, (c) => new ListAppEvents(c.get(Ports.EventArchive)));
    // new-use-case: bindings
  },
  routes(services, http) {
    const router = Router();
    const { perApiKey, perTenant } = http.config.writeRateLimits;
    const stores = services.get(Ports.RateLimitStores);
    const perKey = createRateLimiter(
      {
        name: 'api-key-writes',
        windowMs: 60_000,
        limit: perApiKey,
        keyOf: (req) => req.appPrincipal?.keyId,
        message: `at most ${perApiKey} writes per minute per API key; retry after the Retry-After seconds`,
      },
      stores,
      http.onRateLimitStoreError,
    );
    const tenantWrites = createRateLimiter(
      {
        name: 'tenant-writes',
        windowMs: 60_000,
        limit: perTenant,
        keyOf: (req) => req.appPrincipal?.tenantId ?? req.auth?.tenantId,
        message: `at most ${perTenant} writes per minute per tenant; retry after the Retry-After seconds`,
      },
      stores,
      http.onRateLimitStoreError,
    );
    router.use(
      appAdminRoutes({
        requireAdmin: http.requireAdmin,
        registerApp: services.get(RegisterApp),
        apps: services.get(Ports.AppRepository),
        issueApiKey: services.get(IssueApiKey),
        revokeApiKey: services.get(RevokeApiKey),
        listApiKeys: services.get(ListApiKeys),
      }),
    );
    router.use(meAppsRoutes({ installApp: services.get(InstallApp), uninstallApp: services.get(UninstallApp), requireAuth: http.requireAuth, writeLimits: [tenantWrites] }));
    router.use(
      appPublishRoutes({
        authenticateApp: services.get(AuthenticateApp),
        publishAppEvent: services.get(PublishAppEvent),
        publishAppNotifications: services.get(PublishAppNotifications),
        listAppEvents: services.get(ListAppEvents),
        declareAppEventType: services.get(DeclareAppEventType),
        writeLimits: [perKey, tenantWrites],
        eventTypes: services.get(Ports.AppEventTypeRepository),
        onAuthenticated: http.connectionAuthenticated,
      }),
    );
    // The app-notifications feature's rules API, on the same write limiters.
    router.use(
      appNotificationRuleRoutes({
        authenticateApp: services.get(AuthenticateApp),
        declareRule: services.get(DeclareAppNotificationRule),
        listRules: services.get(ListAppNotificationRules),
        deleteRule: services.get(DeleteAppNotificationRule),
        writeLimits: [perKey, tenantWrites],
        onAuthenticated: http.connectionAuthenticated,
      }),
    );
    // new-use-case: routes
    return router;
  },
});
