import {
  notificationBulkChanged,
  type BulkChange,
  type BulkFilter,
  type Clock,
  type EventFactory,
  type NotificationCounts,
  type RequestContext,
  type UnitOfWork,
} from '@pushline/domain';
import { publishWithCounts } from './notification-changes.js';

export interface ChangeAllNotificationsInput {
  /** The caller's tenant: the statement filters on it beside the user (defence in depth). */
  readonly tenantId: string;
  readonly userId: string;
  readonly change: BulkChange;
  readonly filter?: BulkFilter;
}

export interface BulkResult {
  readonly changed: number;
  readonly counts: NotificationCounts;
}

/**
 * seen-all, read-all, archive-all: one transaction, one statement, one `notification.bulk_changed`
 * listing the ids, then `notification.counts`. All or nothing.
 */
export class ChangeAllNotifications {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: EventFactory,
  ) {}

  async execute(input: ChangeAllNotificationsInput, context: RequestContext = {}): Promise<BulkResult> {
    return this.unitOfWork.run(async (tx) => {
      await tx.notificationCounts.lock(input.userId);
      const now = this.clock.now();
      const owner = { tenantId: input.tenantId, userId: input.userId };
      const ids = await tx.notifications.changeAll(owner, input.change, input.filter ?? {}, now);
      const events =
        ids.length === 0
          ? []
          : [
              this.events.create(
                notificationBulkChanged,
                input.userId,
                { userId: input.userId, change: input.change, notificationIds: [...ids], changedAt: now.toISOString() },
                context,
              ),
            ];
      const counts = await publishWithCounts(tx, this.events, owner, events, context);
      return { changed: ids.length, counts };
    });
  }
}
