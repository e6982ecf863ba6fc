import {
  NotFoundError,
  notificationUnreadCount,
  notificationStatusEvents,
  type ChangeableStatus,
  type Clock,
  type EventFactory,
  type NotificationSnapshot,
  type RequestContext,
  type UnitOfWork,
} from '@pushline/domain';
import type { UnreadCountOptions } from './create-notification.use-case.js';

export interface ChangeNotificationStatusInput {
  readonly tenantId: string;
  readonly userId: string;
  readonly notificationId: string;
  readonly status: ChangeableStatus;
}

/**
 * Marks a notification read, dismissed or clicked, and tells every device of its owner. Setting the
 * status it already has changes nothing and emits nothing. Another user's notification is reported
 * as not found, so ids of others cannot be probed.
 */
export class ChangeNotificationStatus {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: EventFactory,
    private readonly options: UnreadCountOptions = {},
  ) {}

  async execute(input: ChangeNotificationStatusInput, context: RequestContext = {}): Promise<NotificationSnapshot> {
    return this.unitOfWork.run(async (tx) => {
      const notification = await tx.notifications.findById(input.notificationId);
      if (!notification?.isOwnedBy(input.userId, input.tenantId)) throw new NotFoundError('notification', input.notificationId);
      const now = this.clock.now();
      if (notification.changeStatus(input.status, now)) {
        await tx.notifications.save(notification);
        const type = notificationStatusEvents[input.status];
        const data = { notificationId: notification.id, userId: notification.userId, status: input.status };
        await tx.events.publish([
          this.events.create(type, notification.id, { ...data, changedAt: now.toISOString() }, context),
        ]);
        if (this.options.emitUnreadCount) {
          const unread = await tx.notifications.countUnread(notification.userId);
          const count = { userId: notification.userId, unread, at: now.toISOString() };
          await tx.events.publish([this.events.create(notificationUnreadCount, notification.userId, count, context)]);
        }
      }
      return notification.toSnapshot();
    });
  }
}
