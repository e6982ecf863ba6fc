import type { NotificationCounter, NotificationCounts } from '@pushline/domain';
import type { InMemoryNotificationRepository } from './in-memory-notification.repository.js';

/** Versions in a map; the in-memory unit of work runs one unit at a time, so `lock` has nothing to do. */
export class InMemoryNotificationCounter implements NotificationCounter {
  versions = new Map<string, number>();

  constructor(private readonly notifications: InMemoryNotificationRepository) {}

  async lock(): Promise<void> {}

  async advance(userId: string): Promise<NotificationCounts> {
    const version = (this.versions.get(userId) ?? 0) + 1;
    this.versions.set(userId, version);
    return { ...(await this.notifications.countInInbox(userId)), version };
  }

  async current(userId: string): Promise<NotificationCounts> {
    return { ...(await this.notifications.countInInbox(userId)), version: this.versions.get(userId) ?? 0 };
  }
}
