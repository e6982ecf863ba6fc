import { NotFoundError, type ChannelDelivery, type ChannelDeliveryQuery, type ChannelDeliveryRepository, type NotificationRepository } from '@pushline/domain';

/** Most records one notification can have: one per outbound channel. */
const PER_NOTIFICATION = 10;

/** The send records of one of the caller's notifications; another user's (or an unknown one) is not found. */
export class ListNotificationDeliveries {
  constructor(
    private readonly deliveries: ChannelDeliveryRepository,
    private readonly notifications: Pick<NotificationRepository, 'findById'>,
  ) {}

  async execute(input: { readonly tenantId: string; readonly userId: string; readonly notificationId: string }): Promise<readonly ChannelDelivery[]> {
    const n = await this.notifications.findById(input.notificationId);
    if (!n?.isVisibleTo(input.userId, input.tenantId)) throw new NotFoundError('notification', input.notificationId);
    return this.deliveries.list({ ...input, limit: PER_NOTIFICATION });
  }
}

/** The operator's view: send records across users, newest first, narrowed by any filter. */
export class ListChannelDeliveries {
  constructor(private readonly deliveries: ChannelDeliveryRepository) {}

  execute(query: ChannelDeliveryQuery): Promise<readonly ChannelDelivery[]> {
    return this.deliveries.list(query);
  }
}
