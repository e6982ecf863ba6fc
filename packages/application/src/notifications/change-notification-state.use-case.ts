import type { Clock, EventFactory, NotificationChange, RequestContext, UnitOfWork } from '@pushline/domain';
import { lockAndFind, publishChanges, type NotificationWithCounts } from './notification-changes.js';

export const SETTABLE_STATUSES = ['seen', 'read', 'unread', 'clicked'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

export interface ChangeNotificationStateInput {
  readonly userId: string;
  readonly tenantId: string;
  readonly notificationId: string;
  readonly status?: SettableStatus;
  readonly archived?: boolean;
  /** A future time snoozes it; null wakes it. */
  readonly snoozedUntil?: Date | null;
}

/**
 * `PATCH /notifications/:id`: any of status, archived and snoozedUntil, applied together in one
 * transaction (unarchive, then status, then snooze, then archive) by the domain's transition rules.
 * Each change emits its `notification.<change>` event, then `notification.counts`; setting what is
 * already so changes nothing and emits nothing. A forbidden transition throws ConflictError (409).
 */
export class ChangeNotificationState {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: EventFactory,
  ) {}

  async execute(input: ChangeNotificationStateInput, context: RequestContext = {}): Promise<NotificationWithCounts> {
    return this.unitOfWork.run(async (tx) => {
      const notification = await lockAndFind(tx, input, input.notificationId);
      const now = this.clock.now();
      const changes: (NotificationChange | null)[] = [];
      if (input.archived === false) changes.push(notification.unarchive(now));
      if (input.status === 'seen') changes.push(notification.markSeen(now));
      if (input.status === 'read') changes.push(notification.markRead(now));
      if (input.status === 'unread') changes.push(notification.markUnread(now));
      if (input.status === 'clicked') changes.push(notification.click(now));
      if (input.snoozedUntil !== undefined) changes.push(notification.snooze(input.snoozedUntil, now));
      if (input.archived === true) changes.push(notification.archive(now));
      const made = changes.filter((c): c is NotificationChange => c !== null);
      if (made.length > 0) await tx.notifications.save(notification);
      const snapshot = notification.toSnapshot();
      const counts = await publishChanges(tx, this.events, snapshot, made, now, context);
      return { notification: snapshot, counts };
    });
  }
}
