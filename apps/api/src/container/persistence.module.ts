import { ObservedStreamPublisher, UpcastingEventLog } from '@pushline/application';
import { defaultEventTypes } from '@pushline/domain';
import {
  EventRetention,
  OutboxRelay,
  PrismaEventLog,
  PrismaNotificationRepository,
  PrismaSessionRevocationList,
  PrismaUnitOfWork,
  PrismaTenantRepository,
  PrismaApiKeyRepository,
  PrismaAppEventTypeRepository,
  PrismaAppInstallationRepository,
  PrismaAppRepository,
  PrismaEventArchive,
  PrismaUserRepository,
  type Database,
} from '@pushline/persistence-prisma';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';

/** Repositories, the transactional outbox and its relay, on PostgreSQL or embedded PGlite. */
export function persistenceModule(config: Config, db: Database) {
  return containerModule((r) => {
    r.value(Ports.Database, db);
    r.value(Ports.UserRepository, new PrismaUserRepository(db.prisma));
    r.value(Ports.TenantRepository, new PrismaTenantRepository(db.prisma));
    r.value(Ports.AppRepository, new PrismaAppRepository(db.prisma));
    r.value(Ports.ApiKeyRepository, new PrismaApiKeyRepository(db.prisma));
    r.value(Ports.AppInstallationRepository, new PrismaAppInstallationRepository(db.prisma));
    r.value(Ports.AppEventTypeRepository, new PrismaAppEventTypeRepository(db.prisma));
    r.value(Ports.EventArchive, new PrismaEventArchive(db.prisma));
    r.value(Ports.NotificationRepository, new PrismaNotificationRepository(db.prisma));
    // Read back through the catalog's upcasters: replay and polling see every event at its current version.
    r.value(Ports.EventLog, new UpcastingEventLog(new PrismaEventLog(db.prisma), defaultEventTypes));
    r.value(PrismaSessionRevocationList, new PrismaSessionRevocationList(db.prisma));
    r.alias(Ports.SessionRevocationList, PrismaSessionRevocationList);
    r.value(EventRetention, new EventRetention(db.prisma));
    r.provide(OutboxRelay, (c) => {
      const logger = c.get(Ports.Logger);
      // Wrapped so each published batch is counted (metrics) without the relay knowing.
      const publisher = new ObservedStreamPublisher(c.get(Ports.StreamPublisher), c.get(Ports.StreamObserver));
      return new OutboxRelay(db.prisma, publisher, { pollIntervalMs: config.outboxPollMs, fastPath: config.outboxFastPath }, (err) =>
        logger.error({ err }, 'outbox relay failed; will retry'),
      );
    });
    r.provide(Ports.UnitOfWork, (c) => {
      const relay = c.get(OutboxRelay);
      const logger = c.get(Ports.Logger);
      // Commit first, then push: the relay publishes what the transaction just made durable;
      // ephemeral events are never stored and go straight to the broker after the commit.
      return new PrismaUnitOfWork(db.prisma, (entries) => relay.publishCommitted(entries), {
        ephemeralPublisher: c.get(Ports.StreamPublisher),
        onEphemeralError: (err) => logger.warn({ err }, 'ephemeral events not pushed'),
      });
    });
  });
}
