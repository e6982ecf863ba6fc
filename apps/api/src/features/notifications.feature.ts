import {
  ChangeAllNotifications,
  ChangeNotificationState,
  CreateNotification,
  DeleteNotification,
  ExpireDueNotifications,
  GetPreferences,
  GetNotification,
  GetNotificationCounts,
  ListNotifications,
  RouteNotificationsHandler,
  UpdatePreferences,
} from '@pushline/application';
import { EventFactory } from '@pushline/domain';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { notificationRoutes } from '../http/notification.routes.js';
import { preferencesRoutes } from '../http/preferences.routes.js';
import { ExpiryJob } from '../jobs/expiry-job.js';

/** The notification center: create, list, get, change state, bulk changes, delete, counts. */
export const notificationsFeature = defineFeature({
  name: 'notifications',
  register(r, config) {
    r.provide(
      CreateNotification,
      (c) =>
        new CreateNotification(c.get(Ports.UnitOfWork), c.get(Ports.IdGenerator), c.get(Ports.Clock), c.get(EventFactory), {
          maxPerUser: config.notifications.maxPerUser,
        }),
    );
    r.provide(ChangeNotificationState, (c) => new ChangeNotificationState(c.get(Ports.UnitOfWork), c.get(Ports.Clock), c.get(EventFactory)));
    r.provide(ChangeAllNotifications, (c) => new ChangeAllNotifications(c.get(Ports.UnitOfWork), c.get(Ports.Clock), c.get(EventFactory)));
    r.provide(DeleteNotification, (c) => new DeleteNotification(c.get(Ports.UnitOfWork), c.get(Ports.Clock), c.get(EventFactory)));
    r.provide(ListNotifications, (c) => new ListNotifications(c.get(Ports.NotificationRepository)));
    r.provide(GetNotification, (c) => new GetNotification(c.get(Ports.NotificationRepository)));
    r.provide(GetNotificationCounts, (c) => new GetNotificationCounts(c.get(Ports.NotificationCounter)));
    r.provide(ExpireDueNotifications, (c) => new ExpireDueNotifications(c.get(Ports.UnitOfWork), c.get(Ports.Clock), c.get(EventFactory)));
    r.provide(ExpiryJob, (c) => new ExpiryJob(c.get(ExpireDueNotifications), config.notifications.expiryIntervalMs, c.get(Ports.Logger)));
    r.provide(GetPreferences, (c) => new GetPreferences(c.get(Ports.PreferenceRepository), c.get(Ports.AppNotificationRuleRepository)));
    r.provide(UpdatePreferences, (c) => new UpdatePreferences(c.get(Ports.PreferenceRepository), c.get(Ports.Clock), c.get(Ports.AppNotificationRuleRepository)));
    // new-use-case: bindings
  },
  handlers: (services) => [new RouteNotificationsHandler(services.get(CreateNotification), services.get(Ports.PreferenceRepository), undefined, services.get(Ports.UserRepository))],
  routes(services, http) {
    const router = Router();
    router.use(
      notificationRoutes({
        createNotification: services.get(CreateNotification),
        changeState: services.get(ChangeNotificationState),
        changeAll: services.get(ChangeAllNotifications),
        deleteNotification: services.get(DeleteNotification),
        listNotifications: services.get(ListNotifications),
        getNotification: services.get(GetNotification),
        getCounts: services.get(GetNotificationCounts),
        requireAuth: http.requireAuth,
        writeRateLimit: http.writeRateLimit,
      }),
    );
    router.use(
      preferencesRoutes({
        getPreferences: services.get(GetPreferences),
        updatePreferences: services.get(UpdatePreferences),
        requireAuth: http.requireAuth,
        writeRateLimit: http.writeRateLimit,
      }),
    );
    // new-use-case: routes
    return router;
  },
});
