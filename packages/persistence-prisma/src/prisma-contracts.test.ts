import { afterAll, beforeAll, describe } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import {
  describeEventLogContract,
  describeNotificationRepositoryContract,
  describeUnitOfWorkContract,
  describeUserRepositoryContract,
} from '@pushline/testing';
import { NO_COMMIT_LISTENER } from './committed-entries.port.js';
import type { DatabaseKind } from './create-prisma-client.js';
import { EventRetention } from './event-retention.js';
import { PrismaEventLog } from './prisma-event-log.js';
import { PrismaNotificationRepository } from './prisma-notification.repository.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { PrismaUserRepository } from './prisma-user.repository.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

// Every persistence contract suite, against the Prisma adapters, on one fresh database per kind.
describe.each(['pglite', 'postgres'] as const)('Prisma adapters on %s', (kind: DatabaseKind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  describeUserRepositoryContract('PrismaUserRepository', () => ({ users: new PrismaUserRepository(db.prisma) }));

  describeNotificationRepositoryContract('PrismaNotificationRepository', () => ({
    notifications: new PrismaNotificationRepository(db.prisma),
    users: new PrismaUserRepository(db.prisma),
  }));

  describeUnitOfWorkContract('PrismaUnitOfWork', () => {
    const pushed: StreamEntry[] = [];
    return {
      unitOfWork: new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { ephemeralFanOut: { fanOut: async (e) => void pushed.push(...e) } }),
      notifications: new PrismaNotificationRepository(db.prisma),
      eventLog: new PrismaEventLog(db.prisma),
      users: new PrismaUserRepository(db.prisma),
      pushed,
    };
  });

  describeEventLogContract('PrismaEventLog', () => {
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    return {
      eventLog: new PrismaEventLog(db.prisma),
      append: (events) => unitOfWork.run((scope) => scope.events.publish(events)),
      // Retention is the only way entries leave a stream: age them and mark them published, then purge.
      async trimThrough(userId, cursor) {
        await db.prisma.$executeRaw`
          UPDATE stream_events SET created_at = '2000-01-01T00:00:00Z', published_at = now()
          WHERE user_id = ${userId} AND cursor <= ${cursor}`;
        await new EventRetention(db.prisma).purgeOlderThan(new Date('2001-01-01T00:00:00Z'));
      },
    };
  });
});
