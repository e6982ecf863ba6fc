import {
  notificationCounts,
  notificationStateEvents,
  notificationStatePayloadOf,
  NotFoundError,
  type DomainEvent,
  type EventFactory,
  type Notification,
  type NotificationChange,
  type NotificationCounts,
  type NotificationOwner,
  type NotificationSnapshot,
  type RequestContext,
  type TransactionScope,
} from '@pushline/domain';

/** What every state-changing use case answers: the notification and the badge after the change. */
export interface NotificationWithCounts {
  readonly notification: NotificationSnapshot;
  readonly counts: NotificationCounts;
}

/** Whose notification: the user, in their tenant (a notification of another tenant is never found). */
export type { NotificationOwner } from '@pushline/domain';

/**
 * Locks the user's counter, then loads the notification: another user's, an unknown, a deleted and
 * a channel-only one are all "not found", so ids of others cannot be probed.
 */
export async function lockAndFind(tx: TransactionScope, owner: NotificationOwner, notificationId: string): Promise<Notification> {
  const { userId, tenantId } = owner;
  await tx.notificationCounts.lock(userId);
  const notification = await tx.notifications.findById(notificationId);
  if (!notification?.isVisibleTo(userId, tenantId)) throw new NotFoundError('notification', notificationId);
  return notification;
}

/**
 * Publishes one `notification.<change>` per change and, when anything changed, advances the badge
 * and publishes `notification.counts`, all in the caller's unit of work (so the version in the REST
 * answer is the version on the stream). Call with the user's counter locked.
 */
export async function publishChanges(
  tx: TransactionScope,
  factory: EventFactory,
  snapshot: NotificationSnapshot,
  changes: readonly NotificationChange[],
  now: Date,
  context: RequestContext,
  extra: readonly DomainEvent[] = [],
): Promise<NotificationCounts> {
  const events = changes.map((change) =>
    factory.create(notificationStateEvents[change], snapshot.id, notificationStatePayloadOf(snapshot, now), context),
  );
  return publishWithCounts(tx, factory, { tenantId: snapshot.tenantId, userId: snapshot.userId }, [...events, ...extra], context);
}

/** Publishes `events` and, when there are any, the new counts after them; else the current counts. */
export async function publishWithCounts(
  tx: TransactionScope,
  factory: EventFactory,
  owner: NotificationOwner,
  events: readonly DomainEvent[],
  context: RequestContext,
): Promise<NotificationCounts> {
  const { userId } = owner;
  if (events.length === 0) return tx.notificationCounts.current(owner);
  const counts = await tx.notificationCounts.advance(owner);
  await tx.events.publish([...events, factory.create(notificationCounts, userId, { userId, ...counts }, context)]);
  return counts;
}
