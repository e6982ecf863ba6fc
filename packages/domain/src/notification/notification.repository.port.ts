import type { Notification } from './notification.js';

export interface NotificationPage {
  readonly items: readonly Notification[];
  /** Pass as `before` to get the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface NotificationListQuery {
  readonly tenantId: string;
  readonly userId: string;
  readonly limit: number;
  /** Opaque cursor from a previous page. */
  readonly before?: string;
}

export interface NotificationRepository {
  findById(id: string): Promise<Notification | null>;
  /** Inserts or updates. */
  save(notification: Notification): Promise<void>;
  /** The user's notifications, newest first. */
  listByUser(query: NotificationListQuery): Promise<NotificationPage>;
  /** How many of the user's notifications are still `unread` (the badge count). */
  countUnread(userId: string): Promise<number>;
}
