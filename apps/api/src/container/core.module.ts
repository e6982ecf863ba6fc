import { randomUUID } from 'node:crypto';
import {
  Authenticate,
  ChangeNotificationStatus,
  CreateNotification,
  GetCurrentUser,
  ListNotifications,
  LogIn,
  LogOut,
  RefreshToken,
  RegisterUser,
  ReportTyping,
  StreamHub,
} from '@pushline/application';
import { EventFactory, type Clock, type IdGenerator } from '@pushline/domain';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { RetentionJob } from '../jobs/retention-job.js';
import { PLATFORM } from '../platform.tokens.js';
import { TOKENS } from '../tokens.js';

/** Event `source` attribute of everything this service emits. */
export const EVENT_SOURCE = '/pushline/api';

/** Clock, ids, use cases and the stream hub: everything that does not depend on a technology choice. */
export function coreModule(config: Config): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Config>(TOKENS.Config).toConstantValue(config);
    bind<Clock>(TOKENS.Clock).toConstantValue({ now: () => new Date() });
    bind<IdGenerator>(TOKENS.IdGenerator).toConstantValue({ next: () => randomUUID() });
    bind(TOKENS.EventFactory)
      .toDynamicValue((c) => new EventFactory(c.get(TOKENS.IdGenerator), c.get(TOKENS.Clock), EVENT_SOURCE))
      .inSingletonScope();

    bind(TOKENS.LogIn)
      .toDynamicValue((c) => new LogIn(c.get(TOKENS.UserRepository), c.get(TOKENS.PasswordHasher), c.get(TOKENS.TokenService), c.get(TOKENS.IdGenerator)))
      .inSingletonScope();
    bind(TOKENS.LogOut)
      .toDynamicValue((c) => new LogOut(c.get(TOKENS.SessionRevocationList)))
      .inSingletonScope();
    bind(TOKENS.RefreshToken)
      .toDynamicValue((c) => new RefreshToken(c.get(TOKENS.TokenService), c.get(TOKENS.SessionRevocationList)))
      .inSingletonScope();
    bind(TOKENS.Authenticate)
      .toDynamicValue((c) => new Authenticate(c.get(TOKENS.TokenService), c.get(TOKENS.SessionRevocationList), c.get(TOKENS.UserRepository)))
      .inSingletonScope();
    bind(TOKENS.GetCurrentUser)
      .toDynamicValue((c) => new GetCurrentUser(c.get(TOKENS.UserRepository)))
      .inSingletonScope();
    bind(TOKENS.RegisterUser)
      .toDynamicValue((c) => new RegisterUser(c.get(TOKENS.UserRepository), c.get(PLATFORM.TenantRepository), c.get(TOKENS.PasswordHasher), c.get(TOKENS.IdGenerator), c.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(TOKENS.CreateNotification)
      .toDynamicValue(
        (c) =>
          new CreateNotification(c.get(TOKENS.UnitOfWork), c.get(TOKENS.IdGenerator), c.get(TOKENS.Clock), c.get(TOKENS.EventFactory), {
            emitUnreadCount: config.unreadCountEvents ?? false,
          }),
      )
      .inSingletonScope();
    bind(TOKENS.ChangeNotificationStatus)
      .toDynamicValue(
        (c) =>
          new ChangeNotificationStatus(c.get(TOKENS.UnitOfWork), c.get(TOKENS.Clock), c.get(TOKENS.EventFactory), {
            emitUnreadCount: config.unreadCountEvents ?? false,
          }),
      )
      .inSingletonScope();
    bind(TOKENS.ReportTyping)
      .toDynamicValue((c) => new ReportTyping(c.get(TOKENS.UnitOfWork), c.get(TOKENS.Clock), c.get(TOKENS.EventFactory)))
      .inSingletonScope();
    bind(TOKENS.ListNotifications)
      .toDynamicValue((c) => new ListNotifications(c.get(TOKENS.NotificationRepository)))
      .inSingletonScope();

    bind(TOKENS.RetentionJob)
      .toDynamicValue(
        (c) => new RetentionJob(c.get(TOKENS.EventRetention), c.get(TOKENS.Clock), { retentionDays: config.retention.days, intervalMs: config.retention.intervalMs }, c.get(TOKENS.Logger), c.get(TOKENS.SessionRevocationList)),
      )
      .inSingletonScope();
    bind(TOKENS.StreamHub)
      .toDynamicValue((c) => {
        const logger = c.get<Logger>(TOKENS.Logger);
        return new StreamHub(
          c.get(TOKENS.StreamSubscriber),
          c.get(TOKENS.EventLog),
          c.get(TOKENS.Clock),
          { ...config.stream, replayPageSize: 200 },
          (err) => logger.error({ err }, 'stream delivery failed'),
          c.get(TOKENS.StreamObserver),
        );
      })
      .inSingletonScope();
  });
}
