import {
  OutboxRelay,
  PrismaEventLog,
  PrismaNotificationRepository,
  PrismaSessionRevocationList,
  PrismaUnitOfWork,
  PrismaUserRepository,
  type Database,
} from '@pushline/persistence-prisma';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

/** Repositories, the transactional outbox and its relay, on PostgreSQL or embedded PGlite. */
export function persistenceModule(config: Config, db: Database): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Database).toConstantValue(db);
    bind(TOKENS.UserRepository).toConstantValue(new PrismaUserRepository(db.prisma));
    bind(TOKENS.NotificationRepository).toConstantValue(new PrismaNotificationRepository(db.prisma));
    bind(TOKENS.EventLog).toConstantValue(new PrismaEventLog(db.prisma));
    bind(TOKENS.SessionRevocationList).toConstantValue(new PrismaSessionRevocationList(db.prisma));
    bind(TOKENS.OutboxRelay)
      .toDynamicValue((c) => {
        const logger = c.get<Logger>(TOKENS.Logger);
        return new OutboxRelay(db.prisma, c.get(TOKENS.StreamPublisher), { pollIntervalMs: config.outboxPollMs }, (err) =>
          logger.error({ err }, 'outbox relay failed; will retry'),
        );
      })
      .inSingletonScope();
    bind(TOKENS.UnitOfWork)
      .toDynamicValue((c) => {
        const relay = c.get<OutboxRelay>(TOKENS.OutboxRelay);
        // Commit first, then push: the relay publishes what the transaction just made durable.
        return new PrismaUnitOfWork(db.prisma, () => relay.nudge());
      })
      .inSingletonScope();
  });
}
