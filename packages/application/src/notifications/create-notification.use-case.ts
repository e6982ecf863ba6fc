import {
  Notification,
  notificationCreated,
  notificationCreatedPayloadOf,
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

/** Stores a notification and emits `notification.created` in the same transaction. */
export class CreateNotification {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly events: EventFactory,
  ) {}

  async execute(input: CreateNotificationInput, context: RequestContext = {}): Promise<NotificationSnapshot> {
    const notification = Notification.create({ ...input, id: this.ids.next(), now: this.clock.now() });
    const snapshot = notification.toSnapshot();
    const event = this.events.create(notificationCreated, snapshot.id, notificationCreatedPayloadOf(snapshot), context);
    await this.unitOfWork.run(async (tx) => {
      await tx.notifications.save(notification);
      await tx.events.publish([event]);
    });
    return snapshot;
  }
}
