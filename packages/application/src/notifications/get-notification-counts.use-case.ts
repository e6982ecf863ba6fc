import type { NotificationCounter, NotificationCounts } from '@pushline/domain';

/** The badge: unseen and unread in the inbox, with the version of the last change. */
export class GetNotificationCounts {
  constructor(private readonly counter: NotificationCounter) {}

  execute(userId: string): Promise<NotificationCounts> {
    return this.counter.current(userId);
  }
}
