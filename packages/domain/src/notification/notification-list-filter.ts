import type { NotificationSnapshot } from './notification.js';
import type { NotificationListQuery } from './notification.repository.port.js';

/**
 * What a list query means, as a predicate over one notification: the in-memory adapter filters with
 * it and the SQL adapter translates it, and the repository contract checks they agree.
 * Without `status`, snoozed and expired notifications are left out (they are not in the inbox);
 * channel-only ones (`inApp: false`) never match.
 */
export function matchesListQuery(n: NotificationSnapshot, q: Omit<NotificationListQuery, 'limit' | 'before'>): boolean {
  if (n.userId !== q.userId || n.tenantId !== q.tenantId || n.deletedAt !== null || !n.inApp) return false;
  const archived = q.archived ?? false;
  if (archived !== 'any' && (n.archivedAt !== null) !== archived) return false;
  if (q.category !== undefined && n.category !== q.category) return false;
  if (q.priority !== undefined && n.priority !== q.priority) return false;
  if (q.since !== undefined && n.createdAt < q.since) return false;
  if (q.status === 'snoozed') return n.snoozedUntil !== null;
  if (q.status === 'expired') return n.expiredAt !== null;
  if (n.snoozedUntil !== null || n.expiredAt !== null) return false;
  switch (q.status) {
    case undefined:
      return true;
    case 'unseen':
      return n.seenAt === null;
    case 'seen':
      return n.seenAt !== null;
    case 'unread':
      return n.readAt === null;
    case 'read':
      return n.readAt !== null;
    case 'clicked':
      return n.clickedAt !== null;
  }
}
