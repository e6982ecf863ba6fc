import { randomUUID } from 'node:crypto';
import { EventFactory, notificationCreated, notificationRead, type DomainEvent } from '@pushline/domain';

/** Test data for events: valid envelopes with fresh ids, for any user. */
const factory = new EventFactory({ next: () => randomUUID() }, { now: () => new Date() }, '/pushline/test');

export const EventMother = {
  /** A `notification.read` for a fresh notification of `userId`. */
  read(userId: string): DomainEvent {
    const notificationId = randomUUID();
    return factory.create(notificationRead, notificationId, {
      notificationId,
      userId,
      status: 'read',
      changedAt: new Date().toISOString(),
    });
  },

  /** A `notification.created` for `userId`. */
  created(userId: string, title = 'Hello'): DomainEvent {
    const notificationId = randomUUID();
    return factory.create(notificationCreated, notificationId, {
      notificationId,
      userId,
      title,
      body: '',
      priority: 'normal',
      data: null,
      createdAt: new Date().toISOString(),
    });
  },
};
