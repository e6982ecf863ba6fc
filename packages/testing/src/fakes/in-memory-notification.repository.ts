import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  isInInbox,
  matchesListQuery,
  Notification,
  type BulkChange,
  type BulkFilter,
  type NotificationCounts,
  type NotificationListQuery,
  type NotificationOwner,
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
  rows = new Map<string, NotificationSnapshot>();

  async findById(id: string): Promise<Notification | null> {
    const row = this.rows.get(id);
    return row ? Notification.restore(row) : null;
  }

  async save(notification: Notification): Promise<void> {
    const snapshot = notification.toSnapshot();
    this.rows.set(snapshot.id, snapshot);
  }

  async countInInbox({ tenantId, userId }: NotificationOwner): Promise<Omit<NotificationCounts, 'version'>> {
    const inbox = [...this.rows.values()].filter((n) => n.userId === userId && n.tenantId === tenantId && isInInbox(n));
    return { unseen: inbox.filter((n) => n.seenAt === null).length, unread: inbox.filter((n) => n.readAt === null).length };
  }

  async listByUser(query: NotificationListQuery): Promise<NotificationPage> {
    const { limit, before } = query;
    const after = before ? decodeNotificationCursor(before) : null;
    const mine = [...this.rows.values()]
      .filter((n) => matchesListQuery(n, query))
      .sort(newestFirst)
      .filter((n) => !after || n.createdAt < after.createdAt || (n.createdAt.getTime() === after.createdAt.getTime() && n.id < after.id));
    const page = mine.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((n) => Notification.restore(n)),
      nextCursor: mine.length > limit && last ? encodeNotificationCursor(last) : null,
    };
  }

  async changeAll({ tenantId, userId }: NotificationOwner, change: BulkChange, filter: BulkFilter, now: Date): Promise<readonly string[]> {
    const changed: string[] = [];
    for (const n of [...this.rows.values()].sort(newestFirst)) {
      if (n.userId !== userId || n.tenantId !== tenantId || !isInInbox(n)) continue;
      if (filter.category !== undefined && n.category !== filter.category) continue;
      if (filter.before !== undefined && n.createdAt >= filter.before) continue;
      const notification = Notification.restore(n);
      if (change !== 'archived' && notification.isExpired(now)) continue;
      const did = change === 'seen' ? notification.markSeen(now) : change === 'read' ? notification.markRead(now) : notification.archive(now);
      if (!did) continue;
      this.rows.set(n.id, notification.toSnapshot());
      changed.push(n.id);
    }
    return changed;
  }

  async removeBeyondCap(userId: string, cap: number, now: Date): Promise<readonly Notification[]> {
    const mine = [...this.rows.values()].filter((n) => n.userId === userId);
    const gone = (n: NotificationSnapshot) => !n.inApp || n.archivedAt !== null || n.deletedAt !== null;
    const order = mine.sort((a, b) => Number(gone(b)) - Number(gone(a)) || -newestFirst(a, b));
    return order.slice(0, Math.max(mine.length - cap, 0)).map((snapshot) => {
      this.rows.delete(snapshot.id);
      const n = Notification.restore(snapshot);
      n.softDelete(now);
      return n;
    });
  }

  async findDue(now: Date, limit: number): Promise<readonly Notification[]> {
    return [...this.rows.values()]
      .filter((n) => n.deletedAt === null && n.inApp && ((n.expiredAt === null && n.expiresAt !== null && n.expiresAt <= now) || (n.snoozedUntil !== null && n.snoozedUntil <= now)))
      .sort((a, b) => -newestFirst(a, b))
      .slice(0, limit)
      .map((n) => Notification.restore(n));
  }
}
