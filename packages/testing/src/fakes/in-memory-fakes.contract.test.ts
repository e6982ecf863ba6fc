import { describe } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { describeEventLogContract } from '../contracts/event-log.contract.js';
import { describeNotificationRepositoryContract } from '../contracts/notification-repository.contract.js';
import { describeUnitOfWorkContract } from '../contracts/unit-of-work.contract.js';
import { describeUserRepositoryContract } from '../contracts/user-repository.contract.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemoryNotificationRepository } from './in-memory-notification.repository.js';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.js';
import { InMemoryUserRepository } from './in-memory-user.repository.js';

// The fakes stand in for the real adapters in unit tests, so they must keep the same contracts.
describe('in-memory fakes', () => {
  describeUserRepositoryContract('InMemoryUserRepository', () => ({ users: new InMemoryUserRepository() }));

  describeNotificationRepositoryContract('InMemoryNotificationRepository', () => ({
    notifications: new InMemoryNotificationRepository(),
    users: new InMemoryUserRepository(),
  }));

  describeUnitOfWorkContract('InMemoryUnitOfWork', () => {
    const pushed: StreamEntry[] = [];
    const unitOfWork = new InMemoryUnitOfWork(undefined, undefined, { fanOut: async (entries) => void pushed.push(...entries) });
    return { unitOfWork, notifications: unitOfWork.notifications, eventLog: unitOfWork.events, users: new InMemoryUserRepository(), pushed };
  });

  describeEventLogContract('InMemoryEventStore', () => {
    const store = new InMemoryEventStore();
    return {
      eventLog: store,
      append: async (events) => void store.append(events),
      trimThrough: async (userId, cursor) => store.trim(userId, cursor),
    };
  });
});
