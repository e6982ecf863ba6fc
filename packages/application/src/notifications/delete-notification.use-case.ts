import type { Clock, EventFactory, RequestContext, UnitOfWork } from '@pushline/domain';
import { lockAndFind, publishChanges, type NotificationWithCounts } from './notification-changes.js';

/** Soft delete: the row stays (for send records and audit), every device gets `notification.deleted`. */
export class DeleteNotification {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: EventFactory,
  ) {}

  async execute(input: { readonly userId: string; readonly tenantId: string; readonly notificationId: string }, context: RequestContext = {}): Promise<NotificationWithCounts> {
    return this.unitOfWork.run(async (tx) => {
      const notification = await lockAndFind(tx, input, input.notificationId);
      const now = this.clock.now();
      const change = notification.softDelete(now);
      await tx.notifications.save(notification);
      const snapshot = notification.toSnapshot();
      const counts = await publishChanges(tx, this.events, snapshot, change ? [change] : [], now, context);
      return { notification: snapshot, counts };
    });
  }
}
