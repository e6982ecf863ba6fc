import type { BulkChange, BulkFilter, NotificationListQuery, NotificationOwner } from '@pushline/domain';
import { Prisma } from './generated/prisma/client.js';

/** `isInInbox` in SQL; the hand-written partial index notifications_inbox_idx has the same condition. */
export const INBOX_SQL = Prisma.sql`in_app AND archived_at IS NULL AND snoozed_until IS NULL AND expired_at IS NULL AND deleted_at IS NULL`;

/** Unseen and unread among the user's inbox, as one row (`unseen`, `unread`). */
export function inboxCountsSql({ tenantId, userId }: NotificationOwner): Prisma.Sql {
  return Prisma.sql`SELECT count(*) FILTER (WHERE seen_at IS NULL) AS unseen, count(*) FILTER (WHERE read_at IS NULL) AS unread
    FROM notifications WHERE user_id = ${userId} AND tenant_id = ${tenantId} AND ${INBOX_SQL}`;
}

/** `matchesListQuery` (domain) as a Prisma filter; the repository contract checks they agree. */
export function listWhere(q: NotificationListQuery): Prisma.NotificationWhereInput {
  const archived = q.archived ?? false;
  const where: Prisma.NotificationWhereInput = {
    tenantId: q.tenantId,
    userId: q.userId,
    inApp: true,
    deletedAt: null,
    ...(archived !== 'any' && { archivedAt: archived ? { not: null } : null }),
    ...(q.category !== undefined && { category: q.category }),
    ...(q.priority !== undefined && { priority: q.priority }),
    ...(q.since !== undefined && { createdAt: { gte: q.since } }),
  };
  if (q.status === 'snoozed') return { ...where, snoozedUntil: { not: null } };
  if (q.status === 'expired') return { ...where, expiredAt: { not: null } };
  const active = { ...where, snoozedUntil: null, expiredAt: null };
  switch (q.status) {
    case undefined:
      return active;
    case 'unseen':
      return { ...active, seenAt: null };
    case 'seen':
      return { ...active, seenAt: { not: null } };
    case 'unread':
      return { ...active, readAt: null };
    case 'read':
      return { ...active, readAt: { not: null } };
    case 'clicked':
      return { ...active, clickedAt: { not: null } };
  }
}

/**
 * One statement per bulk change, so it is all-or-nothing even outside a unit of work. Mirrors the
 * single transitions: read and archive imply seen; only the inbox is touched, and nothing past its
 * `expiresAt` is seen or read even before the expiry worker marked it.
 */
export function bulkChangeSql({ tenantId, userId }: NotificationOwner, change: BulkChange, filter: BulkFilter, now: Date): Prisma.Sql {
  const set = {
    seen: Prisma.sql`seen_at = ${now}`,
    read: Prisma.sql`read_at = ${now}, seen_at = COALESCE(seen_at, ${now})`,
    archived: Prisma.sql`archived_at = ${now}, seen_at = COALESCE(seen_at, ${now})`,
  }[change];
  const pending = {
    seen: Prisma.sql`seen_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})`,
    read: Prisma.sql`read_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})`,
    archived: Prisma.sql`TRUE`,
  }[change];
  const category = filter.category === undefined ? Prisma.empty : Prisma.sql`AND category = ${filter.category}`;
  const before = filter.before === undefined ? Prisma.empty : Prisma.sql`AND created_at < ${filter.before}`;
  return Prisma.sql`
    UPDATE notifications SET ${set}, updated_at = ${now}
    WHERE user_id = ${userId} AND tenant_id = ${tenantId} AND ${INBOX_SQL} AND ${pending} ${category} ${before}
    RETURNING id`;
}
