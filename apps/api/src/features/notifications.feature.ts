import { ChangeNotificationStatus, CreateNotification, ListNotifications } from '@pushline/application';
import { EventFactory } from '@pushline/domain';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { notificationRoutes } from '../http/notification.routes.js';

/** A user's notifications: create, list, change status. */
export const notificationsFeature = defineFeature({
  name: 'notifications',
  register(r, config) {
    const options = { emitUnreadCount: config.unreadCountEvents ?? false };
    r.provide(
      CreateNotification,
      (c) => new CreateNotification(c.get(Ports.UnitOfWork), c.get(Ports.IdGenerator), c.get(Ports.Clock), c.get(EventFactory), options),
    );
    r.provide(ChangeNotificationStatus, (c) => new ChangeNotificationStatus(c.get(Ports.UnitOfWork), c.get(Ports.Clock), c.get(EventFactory), options));
    r.provide(ListNotifications, (c) => new ListNotifications(c.get(Ports.NotificationRepository)));
    // new-use-case: bindings
  },
  routes(services, http) {
    const router = Router();
    router.use(
      notificationRoutes({
        createNotification: services.get(CreateNotification),
        changeStatus: services.get(ChangeNotificationStatus),
        listNotifications: services.get(ListNotifications),
        requireAuth: http.requireAuth,
      }),
    );
    // new-use-case: routes
    return router;
  },
});
