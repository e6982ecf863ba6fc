import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from '@jest/globals';
import { WEBHOOK_LIMITS, type StreamEntry } from '@pushline/domain';
import {
  describeChannelDeliveryRepositoryContract,
  describeApiKeyListingContract,
  describeAppEventTypeRepositoryContract,
  describeAppRepositoriesContract,
  describeEventArchiveContract,
  describeIdempotencyStoreContract,
  describeTenantRepositoryContract,
  describeAppNotificationRuleRepositoryContract,
  describeEventAudienceContract,
  describeEventLogContract,
  describeHandlerJobQueueContract,
  describePreferenceRepositoryContract,
  describePushSubscriptionRepositoryContract,
  describeNotificationRepositoryContract,
  describeSessionStoreContract,
  describeAppKeyCheckReaderContract,
  describeSessionCheckReaderContract,
  describeTenantEventLogContract,
  describeUnitOfWorkContract,
  describeUserRepositoryContract,
  describeWebhookDeliveryLogContract,
  describeWebhookQueueContract,
  describeWebhookSubscriptionRepositoryContract,
} from '@pushline/testing';
import { NO_COMMIT_LISTENER } from './committed-entries.port.js';
import type { DatabaseKind } from './create-prisma-client.js';
import { EventRetention } from './event-retention.js';
import { PrismaAppNotificationRuleRepository } from './prisma-app-notification-rule.repository.js';
import { PrismaAuditLog } from './prisma-audit-log.js';
import { PrismaChannelDeliveryRepository } from './prisma-channel-delivery.repository.js';
import { PrismaAppEventTypeRepository } from './prisma-app-event-type.repository.js';
import { PrismaApiKeyRepository, PrismaAppInstallationRepository, PrismaAppRepository } from './prisma-app.repository.js';
import { PrismaEventArchive } from './prisma-event-archive.js';
import { PrismaTenantRepository } from './prisma-tenant.repository.js';
import { PrismaEventLog } from './prisma-event-log.js';
import { PrismaHandlerJobQueue } from './prisma-handler-job-queue.js';
import { PrismaPreferenceRepository } from './prisma-preference.repository.js';
import { PrismaPushSubscriptionRepository } from './prisma-push-subscription.repository.js';
import { PrismaNotificationRepository } from './prisma-notification.repository.js';
import { PrismaSessionStore } from './prisma-session-store.js';
import { PrismaAppKeyCheckReader } from './prisma-app-key-check-reader.js';
import { PrismaSessionCheckReader } from './prisma-session-check-reader.js';
import { PrismaTenantEventLog } from './prisma-tenant-event-log.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { PrismaUserRepository } from './prisma-user.repository.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { markPublished } from './testing/stream-outbox.js';
import { PrismaWebhookDeliveryLog } from './prisma-webhook-delivery-log.js';
import { PrismaWebhookQueue } from './prisma-webhook-queue.js';
import { PrismaWebhookStatusLog } from './prisma-webhook-status-log.js';
import { PrismaWebhookSubscriptionRepository } from './prisma-webhook-subscription.repository.js';
import { webhookPayload } from './webhook-outbox.js';

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

  describeApiKeyListingContract('PrismaApiKeyRepository', () => ({ keys: new PrismaApiKeyRepository(db.prisma) }));
  describePushSubscriptionRepositoryContract('PrismaPushSubscriptionRepository', () => ({
    subscriptions: new PrismaPushSubscriptionRepository(db.prisma),
    users: new PrismaUserRepository(db.prisma),
  }));

  describeWebhookSubscriptionRepositoryContract('PrismaWebhookSubscriptionRepository', () => ({
    subscriptions: new PrismaWebhookSubscriptionRepository(db.prisma),
    statusLog: new PrismaWebhookStatusLog(db.prisma),
  }));

  describeWebhookQueueContract('PrismaWebhookQueue', () => ({
    queue: new PrismaWebhookQueue(db.prisma),
    subscriptions: new PrismaWebhookSubscriptionRepository(db.prisma),
    statusLog: new PrismaWebhookStatusLog(db.prisma),
    enqueue: async (subscriptionId, at) => {
      const id = randomUUID();
      await db.prisma.webhookDelivery.create({ data: { id, subscriptionId, eventId: randomUUID(), eventType: 'notification.created', payload: '{}', status: 'pending', nextAttemptAt: at } });
      return id;
    },
  }));

  describeWebhookDeliveryLogContract('PrismaWebhookDeliveryLog', () => ({
    deliveries: new PrismaWebhookDeliveryLog(db.prisma),
    queue: new PrismaWebhookQueue(db.prisma),
    subscriptions: new PrismaWebhookSubscriptionRepository(db.prisma),
    // The outbox's own row shape (PrismaWebhookOutbox.enqueue), without its subscription matching.
    enqueue: async (subscriptionId, event, at) => {
      const id = randomUUID();
      await db.prisma.webhookDelivery.create({
        data: { id, subscriptionId, eventId: event.id, eventType: event.type, payload: webhookPayload(event, WEBHOOK_LIMITS.payloadMaxBytes), status: 'pending', nextAttemptAt: at },
      });
      return id;
    },
  }));

  describeNotificationRepositoryContract('PrismaNotificationRepository', () => ({
    notifications: new PrismaNotificationRepository(db.prisma),
    users: new PrismaUserRepository(db.prisma),
  }));

  describe.each(['single-statement', 'interactive'] as const)('writing as %s', (writeMode) => {
    describeUnitOfWorkContract('PrismaUnitOfWork', () => {
      const pushed: StreamEntry[] = [];
      return {
        unitOfWork: new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { writeMode, ephemeralFanOut: { fanOut: async (e) => void pushed.push(...e) } }),
        notifications: new PrismaNotificationRepository(db.prisma),
        eventLog: new PrismaEventLog(db.prisma),
        users: new PrismaUserRepository(db.prisma),
        pushed,
      };
    });
  });

  describeHandlerJobQueueContract('PrismaHandlerJobQueue', () => ({
    queue: new PrismaHandlerJobQueue(db.prisma),
    auditLog: new PrismaAuditLog(db.prisma),
    // Through the outbox itself: a unit of work whose event bus knows the handler.
    enqueue: (handler, event) => new PrismaUnitOfWork(db.prisma, undefined, { handlersOf: () => [handler] }).run((scope) => scope.events.publish([event])),
  }));

  describeChannelDeliveryRepositoryContract('PrismaChannelDeliveryRepository', () => ({ deliveries: new PrismaChannelDeliveryRepository(db.prisma) }));
  describeEventAudienceContract('PrismaEventLog', () => {
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    return { audience: new PrismaEventLog(db.prisma), append: (events) => unitOfWork.run((scope) => scope.events.publish(events)) };
  });

  describeAppNotificationRuleRepositoryContract('PrismaAppNotificationRuleRepository', () => ({
    rules: new PrismaAppNotificationRuleRepository(db.prisma),
    install: (tenantId, appId, userId) => new PrismaAppInstallationRepository(db.prisma).install({ tenantId, appId, userId, createdAt: new Date() }),
  }));

  describePreferenceRepositoryContract('PrismaPreferenceRepository', () => ({
    preferences: new PrismaPreferenceRepository(db.prisma),
    users: new PrismaUserRepository(db.prisma),
  }));

  describeEventLogContract('PrismaEventLog', () => {
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    return {
      eventLog: new PrismaEventLog(db.prisma),
      append: (events) => unitOfWork.run((scope) => scope.events.publish(events)),
      // Retention is the only way entries leave a stream: age them and mark them published, then purge.
      async trimThrough(userId, cursor) {
        await db.prisma.$executeRaw`
          UPDATE stream_events SET created_at = '2000-01-01T00:00:00Z' WHERE user_id = ${userId} AND cursor <= ${cursor}`;
        await markPublished(db.prisma, userId, cursor);
        await new EventRetention(db.prisma).purgeOlderThan(new Date('2001-01-01T00:00:00Z'));
      },
    };
  });

  describeTenantEventLogContract('PrismaTenantEventLog', () => {
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    return {
      log: new PrismaTenantEventLog(db.prisma),
      broadcast: (tenantId, events) => unitOfWork.run((scope) => scope.broadcasts.broadcast(tenantId, events)),
      async trimThrough(tenantId, cursor) {
        await db.prisma.$executeRaw`
          UPDATE tenant_stream_events SET created_at = '2000-01-01T00:00:00Z', published_at = now()
          WHERE tenant_id = ${tenantId} AND cursor <= ${cursor}`;
        await new EventRetention(db.prisma).purgeOlderThan(new Date('2001-01-01T00:00:00Z'));
      },
    };
  });

  describeSessionStoreContract('PrismaSessionStore', () => ({
    sessions: new PrismaSessionStore(db.prisma),
    newUserId: async (tenantId) => {
      const id = randomUUID();
      await db.prisma.user.create({ data: { id, tenantId, email: `${id}@example.test`, passwordHash: 'x', createdAt: new Date() } });
      return id;
    },
    deleteUser: async (userId) => void (await db.prisma.user.delete({ where: { id: userId } })),
  }));

  describeSessionCheckReaderContract('PrismaSessionCheckReader', () => ({
    reader: new PrismaSessionCheckReader(db.prisma),
    sessions: new PrismaSessionStore(db.prisma),
    users: new PrismaUserRepository(db.prisma),
    tenants: new PrismaTenantRepository(db.prisma),
  }));

  describeAppKeyCheckReaderContract('PrismaAppKeyCheckReader', () => ({
    reader: new PrismaAppKeyCheckReader(db.prisma),
    apps: new PrismaAppRepository(db.prisma),
    keys: new PrismaApiKeyRepository(db.prisma),
    tenants: new PrismaTenantRepository(db.prisma),
  }));

  describeTenantRepositoryContract('PrismaTenantRepository', () => ({ tenants: new PrismaTenantRepository(db.prisma), users: new PrismaUserRepository(db.prisma) }));

  describeAppRepositoriesContract('PrismaAppRepository', () => ({
    apps: new PrismaAppRepository(db.prisma),
    keys: new PrismaApiKeyRepository(db.prisma),
    installations: new PrismaAppInstallationRepository(db.prisma),
  }));

  describeAppEventTypeRepositoryContract('PrismaAppEventTypeRepository', () => ({ types: new PrismaAppEventTypeRepository(db.prisma) }));

  describeEventArchiveContract('PrismaEventArchive', () => {
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    return {
      archive: new PrismaEventArchive(db.prisma),
      append: (events, recipients) => unitOfWork.run((tx) => tx.events.publishTo(recipients, events)),
      broadcast: async (tenantId, events, members) => {
        const createdAt = new Date();
        await db.prisma.tenant.create({ data: { id: tenantId, name: tenantId, createdAt } });
        await db.prisma.user.createMany({ data: members.map((id) => ({ id, tenantId, email: `${id}@archive.test`, createdAt })) });
        await unitOfWork.run((tx) => tx.broadcasts.broadcast(tenantId, events));
      },
    };
  });

  describeIdempotencyStoreContract('PrismaIdempotencyStore', () => ({ unitOfWork: new PrismaUnitOfWork(db.prisma) }));
});
