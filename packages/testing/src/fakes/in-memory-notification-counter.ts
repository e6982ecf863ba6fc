import type { NotificationCounter, NotificationCounts, NotificationOwner } from '@pushline/domain';
import type { InMemoryNotificationRepository } from './in-memory-notification.repository.js';

/** Versions in a map; the in-memory unit of work runs one unit at a time, so `lock` has nothing to do. */
export class InMemoryNotificationCounter implements NotificationCounter {
  versions = new Map<string, number>();

  constructor(private readonly notifications: InMemoryNotificationRepository) {}

  async lock(): Promise<void> {}

  async advance(owner: NotificationOwner): Promise<NotificationCounts> {
    const version = (this.versions.get(owner.userId) ?? 0) + 1;
    this.versions.set(owner.userId, version);
    return { ...(await this.notifications.countInInbox(owner)), version };
  }

  async current(owner: NotificationOwner): Promise<NotificationCounts> {
    return { ...(await this.notifications.countInInbox(owner)), version: this.versions.get(owner.userId) ?? 0 };
  }
}
