import {
  Notification,
  notificationCreated,
  notificationCreatedPayloadOf,
  notificationStateEvents,
  notificationStatePayloadOf,
  type Clock,
  type EventFactory,
  type IdGenerator,
  type NewNotification,
  type NotificationCounts,
  type NotificationSnapshot,
  type RequestContext,
  type UnitOfWork,
} from '@pushline/domain';
import { publishWithCounts } from './notification-changes.js';

export type CreateNotificationInput = Omit<NewNotification, 'id' | 'now'> & {
  /**
   * A fixed id makes the create idempotent (event handlers derive it from the event): when a
   * notification with this id exists, nothing is written or emitted and it is returned as it is.
   */
  readonly id?: string;
};

export interface CreateNotificationOptions {
  /** Notifications kept per user; beyond it the oldest archived, then the oldest, are removed. Default 1000. */
  readonly maxPerUser?: number;
}

export const DEFAULT_MAX_NOTIFICATIONS_PER_USER = 1000;

/** The stored notification and the badge after it (the REST answer carries both). */
export type CreatedNotification = NotificationSnapshot & { readonly counts: NotificationCounts };

/**
 * Stores a notification and emits `notification.created` and `notification.counts` in the same
 * transaction; notifications pushed out by the per-user cap are deleted (`notification.deleted`).
 */
export class CreateNotification {
  private readonly maxPerUser: number;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly events: EventFactory,
    options: CreateNotificationOptions = {},
  ) {
    this.maxPerUser = options.maxPerUser ?? DEFAULT_MAX_NOTIFICATIONS_PER_USER;
  }

  async execute(input: CreateNotificationInput, context: RequestContext = {}): Promise<CreatedNotification> {
    const now = this.clock.now();
    const notification = Notification.create({ ...input, id: input.id ?? this.ids.next(), now });
    let snapshot = notification.toSnapshot();
    const created = this.events.create(notificationCreated, snapshot.id, notificationCreatedPayloadOf(snapshot), context);
    const counts = await this.unitOfWork.run(async (tx) => {
      await tx.notificationCounts.lock(snapshot.userId);
      const existing = input.id === undefined ? null : await tx.notifications.findById(input.id);
      if (existing) {
        snapshot = existing.toSnapshot();
        return tx.notificationCounts.current(snapshot.userId);
      }
      await tx.notifications.save(notification);
      const removed = await tx.notifications.removeBeyondCap(snapshot.userId, this.maxPerUser, now);
      const deleted = removed.map((n) =>
        this.events.create(notificationStateEvents.deleted, n.id, notificationStatePayloadOf(n.toSnapshot(), now), context),
      );
      return publishWithCounts(tx, this.events, snapshot.userId, [created, ...deleted], context);
    });
    return { ...snapshot, counts };
  }
}
