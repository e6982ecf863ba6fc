import type { AnyEnvelope } from '../event-dispatch.js';
import type { Notification } from '../rest/api-types.js';

/** Event types after which a notification leaves the (unarchived) inbox. */
const LEAVES = new Set(['notification.dismissed', 'notification.deleted', 'notification.archived', 'notification.snoozed']);
/** Event types after which a notification comes back: read it again, the event does not carry it all. */
const RETURNS = new Set(['notification.unarchived', 'notification.unsnoozed']);

/**
 * Applies one `notification.*` event to the items by id. Reads the payload loosely on purpose: the
 * catalog grows (the notification center adds seen, archived, snoozed…), and a state field the store
 * does not know yet is copied as it is.
 */
export function applyNotificationEvent(items: Map<string, Notification>, envelope: AnyEnvelope): 'changed' | 'fetch' | 'none' {
  if (!envelope.type.startsWith('notification.')) return 'none';
  const data = (envelope.data ?? {}) as Record<string, unknown>;
  const id = typeof data.notificationId === 'string' ? data.notificationId : undefined;
  if (!id) return 'none';
  const current = items.get(id);

  if (envelope.type === 'notification.created') {
    if (current) return 'none'; // known from the list or the POST answer, maybe with a later state
    const { notificationId: _id, userId: _user, ...fields } = data;
    items.set(id, {
      ...(fields as Partial<Notification>),
      id,
      title: String(data.title ?? ''),
      body: (data.body as string | null | undefined) ?? null,
      priority: (data.priority as Notification['priority'] | undefined) ?? 'normal',
      data: (data.data as Record<string, unknown> | null | undefined) ?? null,
      status: typeof data.status === 'string' ? data.status : 'unread',
      createdAt: String(data.createdAt ?? envelope.time),
      updatedAt: String(data.createdAt ?? envelope.time),
    });
    return 'changed';
  }
  if (LEAVES.has(envelope.type)) return items.delete(id) ? 'changed' : 'none';
  if (RETURNS.has(envelope.type)) return current ? 'none' : 'fetch';
  if (!current) return 'none';
  const { notificationId: _id, userId: _user, changedAt, counts: _counts, ...fields } = data;
  items.set(id, { ...current, ...(fields as Partial<Notification>), ...(typeof changedAt === 'string' && { updatedAt: changedAt }) });
  return 'changed';
}
