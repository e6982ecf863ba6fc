import type { NotificationCounts, NotificationSnapshot } from '@pushline/domain';
import { readStatusOf, stateToJson } from '@pushline/domain';

/** A notification on the wire: its fields, its per-user state as ISO timestamps, and `status` in one word. */
export function toNotificationJson(n: NotificationSnapshot) {
  const { deletedAt: _deletedAt, ...state } = stateToJson(n);
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    priority: n.priority,
    category: n.category,
    source: n.source,
    action: n.action,
    data: n.data,
    expiresAt: n.expiresAt?.toISOString() ?? null,
    groupKey: n.groupKey,
    status: readStatusOf(n),
    ...state,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

export function toCountsJson(c: NotificationCounts) {
  return { unseen: c.unseen, unread: c.unread, version: c.version };
}
