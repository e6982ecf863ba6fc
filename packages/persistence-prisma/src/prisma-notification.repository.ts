import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  Notification,
  type BulkChange,
  type BulkFilter,
  type NotificationAction,
  type NotificationCounts,
  type NotificationData,
  type NotificationListQuery,
  type NotificationOwner,
  type NotificationPage,
  type NotificationPriority,
  type NotificationRepository,
} from '@pushline/domain';
import { Prisma, type Notification as NotificationRow } from './generated/prisma/client.js';
import { bulkChangeSql, inboxCountsSql, listWhere } from './prisma-notification-queries.js';
import type { PrismaExecutor } from './prisma-executor.js';

export class PrismaNotificationRepository implements NotificationRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async findById(id: string): Promise<Notification | null> {
    const row = await this.db.notification.findUnique({ where: { id } });
    return row && toNotification(row);
  }

  async save(notification: Notification): Promise<void> {
    const s = notification.toSnapshot();
    const changeable = {
      title: s.title,
      body: s.body,
      priority: s.priority,
      category: s.category,
      source: s.source,
      action: json(s.action),
      data: json(s.data),
      expiresAt: s.expiresAt,
      groupKey: s.groupKey,
      seenAt: s.seenAt,
      readAt: s.readAt,
      clickedAt: s.clickedAt,
      archivedAt: s.archivedAt,
      snoozedUntil: s.snoozedUntil,
      expiredAt: s.expiredAt,
      deletedAt: s.deletedAt,
      updatedAt: s.updatedAt,
    };
    await this.db.notification.upsert({
      where: { id: s.id },
      create: { id: s.id, tenantId: s.tenantId, userId: s.userId, inApp: s.inApp, createdAt: s.createdAt, ...changeable },
      update: changeable,
    });
  }

  async countInInbox(owner: NotificationOwner): Promise<Omit<NotificationCounts, 'version'>> {
    const [row] = await this.db.$queryRaw<{ unseen: bigint; unread: bigint }[]>(inboxCountsSql(owner));
    return { unseen: Number(row?.unseen ?? 0), unread: Number(row?.unread ?? 0) };
  }

  async listByUser(query: NotificationListQuery): Promise<NotificationPage> {
    const { limit, before } = query;
    const after = before ? decodeNotificationCursor(before) : null;
    // Keyset: strictly older than the cursor in (created_at, id) order; walks the
    // (user_id, created_at desc, id desc) index. One extra row tells whether another page exists.
    const rows = await this.db.notification.findMany({
      where: {
        ...listWhere(query),
        ...(after && {
          OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
        }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toNotification),
      nextCursor: rows.length > limit && last ? encodeNotificationCursor(last) : null,
    };
  }

  async changeAll(owner: NotificationOwner, change: BulkChange, filter: BulkFilter, now: Date): Promise<readonly string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>(bulkChangeSql(owner, change, filter, now));
    return rows.map((r) => r.id);
  }

  async removeBeyondCap(userId: string, cap: number, now: Date): Promise<readonly Notification[]> {
    // Channel-only, archived (and soft-deleted) ones go first, then the oldest; in (created_at, id) order.
    const over = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM notifications WHERE user_id = ${userId}
      ORDER BY (in_app AND archived_at IS NULL AND deleted_at IS NULL), created_at, id
      LIMIT GREATEST((SELECT count(*) FROM notifications WHERE user_id = ${userId}) - ${cap}, 0)`;
    if (over.length === 0) return [];
    const ids = over.map((r) => r.id);
    const byId = new Map((await this.db.notification.findMany({ where: { id: { in: ids } } })).map((row) => [row.id, row]));
    await this.db.notification.deleteMany({ where: { id: { in: ids } } });
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])).map((row) => {
      const n = toNotification(row);
      n.softDelete(now);
      return n;
    });
  }

  async findDue(now: Date, limit: number): Promise<readonly Notification[]> {
    const rows = await this.db.notification.findMany({
      where: {
        deletedAt: null,
        // A channel-only one is never shown, so nothing expires or wakes on a device; the channel worker checks `expiresAt` itself.
        inApp: true,
        OR: [{ expiredAt: null, expiresAt: { lte: now } }, { snoozedUntil: { lte: now } }],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toNotification);
  }
}

/** A nullable Json column stores SQL NULL only through DbNull; plain null is rejected. */
function json(value: object | null): Prisma.InputJsonObject | typeof Prisma.DbNull {
  return value === null ? Prisma.DbNull : (value as Prisma.InputJsonObject);
}

function toNotification(row: NotificationRow): Notification {
  // The columns are plain text and json; only this repository writes them, from valid aggregates.
  return Notification.restore({
    id: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    title: row.title,
    body: row.body,
    priority: row.priority as NotificationPriority,
    category: row.category,
    source: row.source,
    action: row.action as NotificationAction | null,
    data: row.data as NotificationData | null,
    expiresAt: row.expiresAt,
    groupKey: row.groupKey,
    inApp: row.inApp,
    seenAt: row.seenAt,
    readAt: row.readAt,
    clickedAt: row.clickedAt,
    archivedAt: row.archivedAt,
    snoozedUntil: row.snoozedUntil,
    expiredAt: row.expiredAt,
    deletedAt: row.deletedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}
