import { AppNotificationRulesHandler, CreateNotification, DeclareAppNotificationRule, DeleteAppNotificationRule, ListAppNotificationRules } from '@pushline/application';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';

/** Apps' events through declarative rules into notifications: the rules' use cases and their event handler. */
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
  // The routes are mounted by the apps feature, behind the same per-key and per-tenant limiters as its
  // other writes: a second limiter of the same name broke the shared count (two-instances-limits.test.ts).
});
