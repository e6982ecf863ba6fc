import {
  decodeNotificationCursor,
  encodeNotificationCursor,
  Notification,
  type NotificationData,
  type NotificationListQuery,
  type NotificationPage,
  type NotificationPriority,
  type NotificationRepository,
  type NotificationStatus,
} from '@pushline/domain';
import { Prisma, type Notification as NotificationRow } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

export class PrismaNotificationRepository implements NotificationRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async findById(id: string): Promise<Notification | null> {
    const row = await this.db.notification.findUnique({ where: { id } });
    return row && toNotification(row);
  }

  async save(notification: Notification): Promise<void> {
    const s = notification.toSnapshot();
    // A nullable Json column stores SQL NULL only through DbNull; plain null is rejected.
    const data = s.data === null ? Prisma.DbNull : (s.data as Prisma.InputJsonObject);
    const changeable = { title: s.title, body: s.body, priority: s.priority, data, status: s.status, updatedAt: s.updatedAt };
    await this.db.notification.upsert({
      where: { id: s.id },
      create: { id: s.id, tenantId: s.tenantId, userId: s.userId, createdAt: s.createdAt, ...changeable },
      update: changeable,
    });
  }

  async countUnread(userId: string): Promise<number> {
    return this.db.notification.count({ where: { userId, status: 'unread' } });
  }

  async listByUser({ tenantId, userId, limit, before }: NotificationListQuery): Promise<NotificationPage> {
    const after = before ? decodeNotificationCursor(before) : null;
    // Keyset: strictly older than the cursor in (created_at, id) order; walks the
    // (user_id, created_at desc, id desc) index. One extra row tells whether another page exists.
    const rows = await this.db.notification.findMany({
      where: {
        tenantId,
        userId,
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
    data: row.data as NotificationData | null,
    status: row.status as NotificationStatus,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}
