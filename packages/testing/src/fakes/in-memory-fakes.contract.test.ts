import { describe } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { describeAppNotificationRuleRepositoryContract, describeEventAudienceContract } from '../contracts/app-notification-rules.contract.js';
import { InMemoryAppNotificationRuleRepository } from './in-memory-app-notification-rule.repository.js';
import { describeEventLogContract } from '../contracts/event-log.contract.js';
import { describeTenantEventLogContract } from '../contracts/tenant-event-log.contract.js';
import { describeHandlerJobQueueContract } from '../contracts/handler-job-queue.contract.js';
import { describeChannelDeliveryRepositoryContract } from '../contracts/channel-delivery-repository.contract.js';
import { InMemoryChannelDeliveryRepository } from './in-memory-channel-delivery.repository.js';
import { describeChannelSenderContract } from '../contracts/channel-sender.contract.js';
import { RecordingChannelSender } from './recording-channel-sender.js';
import { InMemoryAuditLog } from './in-memory-audit-log.js';
import { describePreferenceRepositoryContract } from '../contracts/preference-repository.contract.js';
import { InMemoryPreferenceRepository } from './in-memory-preference.repository.js';
import { describePushSubscriptionRepositoryContract } from '../contracts/push-subscription-repository.contract.js';
import { InMemoryPushSubscriptionRepository } from './in-memory-push-subscription.repository.js';
import { InMemoryHandlerJobQueue } from './in-memory-handler-job-queue.js';
import { describeNotificationRepositoryContract } from '../contracts/notification-repository.contract.js';
import { describeSessionStoreContract } from '../contracts/session-store.contract.js';
import { describeUnitOfWorkContract } from '../contracts/unit-of-work.contract.js';
import { describeUserRepositoryContract } from '../contracts/user-repository.contract.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemorySessionStore } from './in-memory-session-store.js';
import { InMemoryNotificationRepository } from './in-memory-notification.repository.js';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.js';
import { InMemoryUserRepository } from './in-memory-user.repository.js';
import { describeWebhookSubscriptionRepositoryContract } from '../contracts/webhook-subscription-repository.contract.js';
import { InMemoryWebhookSubscriptionRepository } from './in-memory-webhook-subscription.repository.js';
import { describeWebhookQueueContract } from '../contracts/webhook-queue.contract.js';
import { InMemoryWebhookQueue } from './in-memory-webhook-queue.js';
import { describeWebhookDeliveryLogContract } from '../contracts/webhook-delivery-log.contract.js';
import { InMemoryWebhookDeliveryLog } from './in-memory-webhook-delivery-log.js';
import { describeApiKeyListingContract } from '../contracts/api-key-listing.contract.js';
import { describeTenantRepositoryContract } from '../contracts/tenant-repository.contract.js';
import { describeAppRepositoriesContract } from '../contracts/app-repository.contract.js';
import { describeAppEventTypeRepositoryContract } from '../contracts/app-event-type-repository.contract.js';
import { describeEventArchiveContract } from '../contracts/event-archive.contract.js';
import { describeIdempotencyStoreContract } from '../contracts/idempotency-store.contract.js';
import { InMemoryTenantRepository } from './in-memory-tenant.repository.js';
import { InMemoryApiKeyRepository, InMemoryAppInstallationRepository, InMemoryAppRepository } from './in-memory-app.repository.js';
import { InMemoryAppEventTypeRepository } from './in-memory-app-event-type.repository.js';
import { describeApiKeyGeneratorContract } from '../contracts/api-key-generator.contract.js';
import { SequentialApiKeyGenerator } from './sequential-api-key-generator.js';

// The fakes stand in for the real adapters in unit tests, so they must keep the same contracts.
describe('in-memory fakes', () => {
  describeWebhookSubscriptionRepositoryContract('InMemoryWebhookSubscriptionRepository', () => {
    const repository = new InMemoryWebhookSubscriptionRepository();
    return { subscriptions: repository, statusLog: repository };
  });

  describeWebhookQueueContract('InMemoryWebhookQueue', () => {
    const repository = new InMemoryWebhookSubscriptionRepository();
    const queue = new InMemoryWebhookQueue(repository);
    return { queue, subscriptions: repository, statusLog: repository, enqueue: async (id, at) => queue.enqueue(id, '{}', at) };
  });

  describeWebhookDeliveryLogContract('InMemoryWebhookDeliveryLog', () => {
    const repository = new InMemoryWebhookSubscriptionRepository();
    const queue = new InMemoryWebhookQueue(repository);
    return {
      deliveries: new InMemoryWebhookDeliveryLog(queue, repository),
      queue,
      subscriptions: repository,
      enqueue: async (id, event, at) => queue.enqueue(id, JSON.stringify(event), at, event),
    };
  });

  describeUserRepositoryContract('InMemoryUserRepository', () => ({ users: new InMemoryUserRepository() }));

  describePushSubscriptionRepositoryContract('InMemoryPushSubscriptionRepository', () => ({
    subscriptions: new InMemoryPushSubscriptionRepository(),
    users: new InMemoryUserRepository(),
  }));

  describeNotificationRepositoryContract('InMemoryNotificationRepository', () => ({
    notifications: new InMemoryNotificationRepository(),
    users: new InMemoryUserRepository(),
  }));

  describeUnitOfWorkContract('InMemoryUnitOfWork', () => {
    const pushed: StreamEntry[] = [];
    const unitOfWork = new InMemoryUnitOfWork(undefined, undefined, { fanOut: async (entries) => void pushed.push(...entries) });
    return { unitOfWork, notifications: unitOfWork.notifications, eventLog: unitOfWork.events, users: new InMemoryUserRepository(), pushed };
  });

  describeHandlerJobQueueContract('InMemoryHandlerJobQueue', () => {
    const queue = new InMemoryHandlerJobQueue();
    return { queue, auditLog: new InMemoryAuditLog(), enqueue: async (handler, event) => queue.enqueue(handler, event) };
  });

  describeChannelDeliveryRepositoryContract('InMemoryChannelDeliveryRepository', () => ({ deliveries: new InMemoryChannelDeliveryRepository() }));

  describeChannelSenderContract('RecordingChannelSender', 'web_push', () => {
    const sender = new RecordingChannelSender('web_push');
    return { sender, accepted: async () => sender.sent.length, refuseNext: (retryable) => sender.failNext(1, retryable) };
  });

  describePreferenceRepositoryContract('InMemoryPreferenceRepository', () => ({ preferences: new InMemoryPreferenceRepository(), users: new InMemoryUserRepository() }));

  describeEventLogContract('InMemoryEventStore', () => {
    const store = new InMemoryEventStore();
    return {
      eventLog: store,
      append: async (events) => void store.append(events),
      trimThrough: async (userId, cursor) => store.trim(userId, cursor),
    };
  });

  describeEventAudienceContract('InMemoryEventStore', () => {
    const store = new InMemoryEventStore();
    return { audience: store, append: async (events) => void store.append(events) };
  });

  describeAppNotificationRuleRepositoryContract('InMemoryAppNotificationRuleRepository', () => {
    const rules = new InMemoryAppNotificationRuleRepository();
    return { rules, install: async (tenantId, appId, userId) => rules.install(tenantId, appId, userId) };
  });

  describeTenantEventLogContract('InMemoryTenantStreams (through InMemoryUnitOfWork)', () => {
    const unitOfWork = new InMemoryUnitOfWork();
    return {
      log: unitOfWork.tenantStreams,
      broadcast: (tenantId, events) => unitOfWork.run((tx) => tx.broadcasts.broadcast(tenantId, events)),
      trimThrough: async (tenantId, cursor) => unitOfWork.tenantStreams.trim(tenantId, cursor),
    };
  });

  describeSessionStoreContract('InMemorySessionStore', () => {
    const sessions = new InMemorySessionStore();
    let next = 0;
    return { sessions, newUserId: async () => `user-${++next}`, deleteUser: async (userId) => sessions.deleteUser(userId) };
  });

  describeTenantRepositoryContract('InMemoryTenantRepository', () => {
    const users = new InMemoryUserRepository();
    return { tenants: new InMemoryTenantRepository(users), users };
  });

  describeAppRepositoriesContract('InMemoryAppRepository', () => ({
    apps: new InMemoryAppRepository(),
    keys: new InMemoryApiKeyRepository(),
    installations: new InMemoryAppInstallationRepository(),
  }));

  describeApiKeyListingContract('InMemoryApiKeyRepository', () => ({ keys: new InMemoryApiKeyRepository() }));

  describeAppEventTypeRepositoryContract('InMemoryAppEventTypeRepository', () => ({ types: new InMemoryAppEventTypeRepository() }));

  describeEventArchiveContract('InMemoryEventArchive', () => {
    const unitOfWork = new InMemoryUnitOfWork();
    return {
      archive: unitOfWork.archive,
      append: (events, recipients) => unitOfWork.run((tx) => tx.events.publishTo(recipients, events)),
      broadcast: (tenantId, events, members) => {
        for (const userId of members) unitOfWork.archive.addMember(userId, tenantId);
        return unitOfWork.run((tx) => tx.broadcasts.broadcast(tenantId, events));
      },
    };
  });

  describeIdempotencyStoreContract('InMemoryIdempotencyStore', () => ({ unitOfWork: new InMemoryUnitOfWork() }));

  describeApiKeyGeneratorContract('SequentialApiKeyGenerator', () => new SequentialApiKeyGenerator());
});
