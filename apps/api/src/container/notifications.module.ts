import {
  ChangeAllNotifications,
  ChangeNotificationState,
  CreateNotification,
  DeleteNotification,
  GetNotification,
  GetNotificationCounts,
  ListNotifications,
} from '@pushline/application';
import { PrismaNotificationCounter, type Database } from '@pushline/persistence-prisma';
import type { RequestHandler } from 'express';
import { ContainerModule, type Container } from 'inversify';
import type { Config } from '../config.js';
import type { NotificationRoutesDeps } from '../http/notification.routes.js';
import { TOKENS } from '../tokens.js';

/** Service identifiers of the notification center (kept beside its module until #8's feature files). */
export const NOTIFICATION_TOKENS = {
  NotificationCounter: Symbol('NotificationCounter'),
  ChangeNotificationState: Symbol('ChangeNotificationState'),
  ChangeAllNotifications: Symbol('ChangeAllNotifications'),
  DeleteNotification: Symbol('DeleteNotification'),
  GetNotification: Symbol('GetNotification'),
  GetNotificationCounts: Symbol('GetNotificationCounts'),
} as const;

/** The notification center's use cases. */
export function notificationsModule(config: Config, db: Database): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const T = NOTIFICATION_TOKENS;
    bind(T.NotificationCounter).toConstantValue(new PrismaNotificationCounter(db.prisma));
    bind(TOKENS.CreateNotification)
      .toDynamicValue(
        (c) =>
          new CreateNotification(c.get(TOKENS.UnitOfWork), c.get(TOKENS.IdGenerator), c.get(TOKENS.Clock), c.get(TOKENS.EventFactory), {
            maxPerUser: config.notifications.maxPerUser,
          }),
      )
      .inSingletonScope();
    bind(TOKENS.ListNotifications)
      .toDynamicValue((c) => new ListNotifications(c.get(TOKENS.NotificationRepository)))
      .inSingletonScope();
    bind(T.GetNotification)
      .toDynamicValue((c) => new GetNotification(c.get(TOKENS.NotificationRepository)))
      .inSingletonScope();
    bind(T.GetNotificationCounts)
      .toDynamicValue((c) => new GetNotificationCounts(c.get(T.NotificationCounter)))
      .inSingletonScope();
    bind(T.ChangeNotificationState)
      .toDynamicValue((c) => new ChangeNotificationState(c.get(TOKENS.UnitOfWork), c.get(TOKENS.Clock), c.get(TOKENS.EventFactory)))
      .inSingletonScope();
    bind(T.ChangeAllNotifications)
      .toDynamicValue((c) => new ChangeAllNotifications(c.get(TOKENS.UnitOfWork), c.get(TOKENS.Clock), c.get(TOKENS.EventFactory)))
      .inSingletonScope();
    bind(T.DeleteNotification)
      .toDynamicValue((c) => new DeleteNotification(c.get(TOKENS.UnitOfWork), c.get(TOKENS.Clock), c.get(TOKENS.EventFactory)))
      .inSingletonScope();
  });
}

/** What the notification routes need, from the container. */
export function notificationRouteDeps(container: Container, requireAuth: RequestHandler, writeRateLimit?: RequestHandler): NotificationRoutesDeps {
  const T = NOTIFICATION_TOKENS;
  return {
    createNotification: container.get<CreateNotification>(TOKENS.CreateNotification),
    listNotifications: container.get<ListNotifications>(TOKENS.ListNotifications),
    getNotification: container.get<GetNotification>(T.GetNotification),
    getCounts: container.get<GetNotificationCounts>(T.GetNotificationCounts),
    changeState: container.get<ChangeNotificationState>(T.ChangeNotificationState),
    changeAll: container.get<ChangeAllNotifications>(T.ChangeAllNotifications),
    deleteNotification: container.get<DeleteNotification>(T.DeleteNotification),
    requireAuth,
    ...(writeRateLimit && { writeRateLimit }),
  };
}
