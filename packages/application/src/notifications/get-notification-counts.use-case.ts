import type { NotificationCounter, NotificationCounts, NotificationOwner } from '@pushline/domain';

/** The badge: unseen and unread in the inbox of the user in their tenant, with the version of the last change. */
export class GetNotificationCounts {
  constructor(private readonly counter: NotificationCounter) {}

  execute(owner: NotificationOwner): Promise<NotificationCounts> {
    return this.counter.current(owner);
  }
}
