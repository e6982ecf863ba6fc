import {
  Notification,
  notificationCreated,
  notificationCreatedPayloadOf,
  notificationUnreadCount,
  type Clock,
  type EventFactory,
  type IdGenerator,
  type NotificationData,
  type NotificationPriority,
  type NotificationSnapshot,
  type RequestContext,
  type UnitOfWork,
} from '@pushline/domain';

export interface CreateNotificationInput {
  readonly userId: string;
  readonly title: string;
  readonly body?: string;
  readonly priority?: NotificationPriority;
  readonly data?: NotificationData | null;
}

export interface UnreadCountOptions {
  /** Also emit `notification.unread_count` (latest-wins) with the new count, in the same transaction. */
  readonly emitUnreadCount?: boolean;
}

/** Stores a notification and emits `notification.created` in the same transaction. */
export class CreateNotification {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly events: EventFactory,
    private readonly options: UnreadCountOptions = {},
  ) {}

  async execute(input: CreateNotificationInput, context: RequestContext = {}): Promise<NotificationSnapshot> {
    const notification = Notification.create({ ...input, id: this.ids.next(), now: this.clock.now() });
    const snapshot = notification.toSnapshot();
    const event = this.events.create(notificationCreated, snapshot.id, notificationCreatedPayloadOf(snapshot), context);
    await this.unitOfWork.run(async (tx) => {
      await tx.notifications.save(notification);
      await tx.events.publish([event]);
      if (this.options.emitUnreadCount) {
        const unread = await tx.notifications.countUnread(snapshot.userId);
        const data = { userId: snapshot.userId, unread, at: snapshot.createdAt.toISOString() };
        await tx.events.publish([this.events.create(notificationUnreadCount, snapshot.userId, data, context)]);
      }
    });
    return snapshot;
  }
}
