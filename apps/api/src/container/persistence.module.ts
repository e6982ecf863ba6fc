import {
  EventRetention,
  OutboxRelay,
  PrismaEventLog,
  PrismaNotificationRepository,
  PrismaSessionStore,
  PrismaUnitOfWork,
  PrismaUserRepository,
  type Database,
} from '@pushline/persistence-prisma';
import { ObservedStreamPublisher, UpcastingEventLog } from '@pushline/application';
import { defaultEventTypes } from '@pushline/domain';
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
    // Read back through the catalog's upcasters: replay and polling see every event at its current version.
    bind(TOKENS.EventLog).toConstantValue(new UpcastingEventLog(new PrismaEventLog(db.prisma), defaultEventTypes));
    bind(TOKENS.SessionStore).toConstantValue(new PrismaSessionStore(db.prisma));
    bind(TOKENS.EventRetention).toConstantValue(new EventRetention(db.prisma));
    bind(TOKENS.OutboxRelay)
      .toDynamicValue((c) => {
        const logger = c.get<Logger>(TOKENS.Logger);
        // Wrapped so each published batch is counted (metrics) without the relay knowing.
        const publisher = new ObservedStreamPublisher(c.get(TOKENS.StreamPublisher), c.get(TOKENS.StreamObserver));
        return new OutboxRelay(db.prisma, publisher, { pollIntervalMs: config.outboxPollMs, fastPath: config.outboxFastPath }, (err) =>
          logger.error({ err }, 'outbox relay failed; will retry'),
        );
      })
      .inSingletonScope();
    bind(TOKENS.UnitOfWork)
      .toDynamicValue((c) => {
        const relay = c.get<OutboxRelay>(TOKENS.OutboxRelay);
        const logger = c.get<Logger>(TOKENS.Logger);
        // Commit first, then push: the relay publishes what the transaction just made durable;
        // ephemeral events are never stored and go straight to the broker after the commit.
        return new PrismaUnitOfWork(db.prisma, (entries) => relay.publishCommitted(entries), {
          ephemeralPublisher: c.get(TOKENS.StreamPublisher),
          onEphemeralError: (err) => logger.warn({ err }, 'ephemeral events not pushed'),
        });
      })
      .inSingletonScope();
  });
}
