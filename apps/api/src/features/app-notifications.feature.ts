import { AppNotificationRulesHandler, AuthenticateApp, CreateNotification, DeclareAppNotificationRule, DeleteAppNotificationRule, ListAppNotificationRules } from '@pushline/application';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { appNotificationRuleRoutes } from '../http/app-notification-rule.routes.js';
import { createRateLimiter } from '../http/rate-limits.js';

/** Apps' events through declarative rules into notifications: the rules API and their event handler. */
export const appNotificationsFeature = defineFeature({
  name: 'app-notifications',
  register(r) {
    r.provide(DeclareAppNotificationRule, (c) => new DeclareAppNotificationRule(c.get(Ports.AppNotificationRuleRepository), c.get(Ports.AppEventTypeRepository), c.get(Ports.Clock)));
    r.provide(ListAppNotificationRules, (c) => new ListAppNotificationRules(c.get(Ports.AppNotificationRuleRepository)));
    r.provide(DeleteAppNotificationRule, (c) => new DeleteAppNotificationRule(c.get(Ports.AppNotificationRuleRepository)));
  },
  handlers: (s) => [
    new AppNotificationRulesHandler(
      s.get(CreateNotification),
      s.get(Ports.PreferenceRepository),
      s.get(Ports.AppNotificationRuleRepository),
      s.get(Ports.EventAudienceLog),
      s.get(Ports.AppInstallationRepository),
    ),
  ],
  routes(services, http) {
    const { perApiKey, perTenant } = http.config.writeRateLimits;
    const stores = services.get(Ports.RateLimitStores);
    // The same limiters (by name) as the apps' other writes: one budget per key and per tenant.
    const limits = [
      createRateLimiter({ name: 'api-key-writes', windowMs: 60_000, limit: perApiKey, keyOf: (req) => req.appPrincipal?.keyId, message: `at most ${perApiKey} writes per minute per API key; retry after the Retry-After seconds` }, stores, http.onRateLimitStoreError),
      createRateLimiter({ name: 'tenant-writes', windowMs: 60_000, limit: perTenant, keyOf: (req) => req.appPrincipal?.tenantId, message: `at most ${perTenant} writes per minute per tenant; retry after the Retry-After seconds` }, stores, http.onRateLimitStoreError),
    ];
    return Router().use(
      appNotificationRuleRoutes({
        authenticateApp: services.get(AuthenticateApp),
        declareRule: services.get(DeclareAppNotificationRule),
        listRules: services.get(ListAppNotificationRules),
        deleteRule: services.get(DeleteAppNotificationRule),
        writeLimits: limits,
      }),
    );
  },
});
