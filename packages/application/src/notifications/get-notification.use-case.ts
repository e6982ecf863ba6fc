import { NotFoundError, type NotificationRepository, type NotificationSnapshot } from '@pushline/domain';

/** One of the caller's notifications; another user's, an unknown or a deleted one is not found. */
export class GetNotification {
  constructor(private readonly notifications: NotificationRepository) {}

  async execute(input: { readonly userId: string; readonly tenantId: string; readonly notificationId: string }): Promise<NotificationSnapshot> {
    const n = await this.notifications.findById(input.notificationId);
    if (!n?.isVisibleTo(input.userId, input.tenantId)) throw new NotFoundError('notification', input.notificationId);
    return n.toSnapshot();
  }
}
