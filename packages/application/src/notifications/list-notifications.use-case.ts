import { ValidationError, type NotificationRepository, type NotificationSnapshot } from '@pushline/domain';

export const LIST_LIMITS = { default: 20, max: 100 } as const;

export interface ListNotificationsInput {
  readonly tenantId: string;
  readonly userId: string;
  readonly limit?: number;
  readonly before?: string;
}

export interface NotificationList {
  readonly items: readonly NotificationSnapshot[];
  readonly nextCursor: string | null;
}

/** The caller's notifications, newest first, one page at a time. */
export class ListNotifications {
  constructor(private readonly notifications: NotificationRepository) {}

  async execute({ tenantId, userId, limit = LIST_LIMITS.default, before }: ListNotificationsInput): Promise<NotificationList> {
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMITS.max) {
      throw new ValidationError('limit', `limit must be an integer from 1 to ${LIST_LIMITS.max}`);
    }
    const page = await this.notifications.listByUser({ tenantId, userId, limit, ...(before && { before }) });
    return { items: page.items.map((n) => n.toSnapshot()), nextCursor: page.nextCursor };
  }
}
