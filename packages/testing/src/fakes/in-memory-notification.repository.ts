import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  Notification,
  type NotificationListQuery,
  type NotificationPage,
  type NotificationRepository,
  type NotificationSnapshot,
} from '@pushline/domain';

/** Newest first: createdAt descending, then id descending, the same order the SQL adapter uses. */
function newestFirst(a: NotificationSnapshot, b: NotificationSnapshot): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export class InMemoryNotificationRepository implements NotificationRepository {
  /** Snapshots, not live objects, so a caller's unsaved change never leaks into the store. */
  readonly rows = new Map<string, NotificationSnapshot>();

  async findById(id: string): Promise<Notification | null> {
    const row = this.rows.get(id);
    return row ? Notification.restore(row) : null;
  }

  async save(notification: Notification): Promise<void> {
    const snapshot = notification.toSnapshot();
    this.rows.set(snapshot.id, snapshot);
  }

  async countUnread(userId: string): Promise<number> {
    return [...this.rows.values()].filter((n) => n.userId === userId && n.status === 'unread').length;
  }

  async listByUser({ tenantId, userId, limit, before }: NotificationListQuery): Promise<NotificationPage> {
    const after = before ? decodeNotificationCursor(before) : null;
    const mine = [...this.rows.values()]
      .filter((n) => n.userId === userId && n.tenantId === tenantId)
      .sort(newestFirst)
      .filter((n) => !after || newestFirst(n, { ...n, createdAt: after.createdAt, id: after.id }) > 0);
    const page = mine.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((n) => Notification.restore(n)),
      nextCursor: mine.length > limit && last ? encodeNotificationCursor(last) : null,
    };
  }
}
