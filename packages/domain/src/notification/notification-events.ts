import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';
import { NOTIFICATION_PRIORITIES, type NotificationChange, type NotificationSnapshot } from './notification.js';
import { NOTIFICATION_STATUSES, readStatusOf, stateToJson } from './notification-state.js';

const isoOrNull = z.iso.datetime().nullable();
const stateSchema = z.object({
  seenAt: isoOrNull,
  readAt: isoOrNull,
  clickedAt: isoOrNull,
  archivedAt: isoOrNull,
  snoozedUntil: isoOrNull,
  expiredAt: isoOrNull,
  deletedAt: isoOrNull,
});
const actionSchema = z.object({ url: z.string(), label: z.string(), data: z.record(z.string(), z.unknown()).nullable().optional() });

const notificationCreatedPayload = z.object({
  notificationId: z.string().min(1),
  userId: z.string().min(1),
  title: z.string().min(1),
  body: z.string(),
  priority: z.enum(NOTIFICATION_PRIORITIES),
  // Defaults: what a payload of the shape before categories (a user's own test notification) means.
  category: z.string().min(1).default('test'),
  source: z.string().min(1).default('user'),
  action: actionSchema.nullable().default(null),
  data: z.record(z.string(), z.unknown()).nullable(),
  expiresAt: isoOrNull.default(null),
  groupKey: z.string().nullable().default(null),
  /**
   * Present (false) only on a notification made for email, web push or the webhook alone (the user
   * muted in-app for its category): no device receives it. Absent on every other, so their payload is unchanged.
   */
  inApp: z.literal(false).optional(),
  createdAt: z.iso.datetime(),
});

export const notificationCreated = defineEventType({
  name: 'notification.created',
  version: 2,
  description:
    'A notification was created for a user; every device of that user shows it. With `inApp: false` (the user muted in-app for its category) no device receives it: it reaches the handlers (email, web push) and the apps\' webhooks only.',
  schema: notificationCreatedPayload,
  delivery: 'must-deliver',
  audience: (data) => (data.inApp === false ? [] : [data.userId]),
  about: (data) => [data.userId],
  // v1 had neither category nor action: those were a user's own test notifications.
  upcasters: { 1: (d) => ({ category: 'test', source: 'user', action: null, expiresAt: null, groupKey: null, ...d }) },
});

const stateChangedPayload = z.object({
  notificationId: z.string().min(1),
  userId: z.string().min(1),
  /** The read state in one word after the change (`unread`, `read`, `clicked`). */
  status: z.enum(NOTIFICATION_STATUSES),
  /**
   * The whole per-user state after the change: a device applies it as it is. Publishers always set
   * it; the default only keeps payloads of the status-only shape valid.
   */
  state: stateSchema.default({ seenAt: null, readAt: null, clickedAt: null, archivedAt: null, snoozedUntil: null, expiredAt: null, deletedAt: null }),
  changedAt: z.iso.datetime(),
});

// v1 of read/clicked carried only the status; the state it implies is rebuilt from the change time.
const fromStatusOnly = (d: Record<string, unknown>) => {
  const at = String(d['changedAt']);
  const clicked = d['status'] === 'clicked';
  const state = { seenAt: at, readAt: at, clickedAt: clicked ? at : null, archivedAt: null, snoozedUntil: null, expiredAt: null, deletedAt: null };
  return { ...d, status: clicked ? 'clicked' : 'read', state };
};

function stateEvent<const TName extends string>(name: TName, description: string, legacyV1 = false) {
  return defineEventType({
    name,
    version: legacyV1 ? 2 : 1,
    description,
    schema: stateChangedPayload,
    delivery: 'must-deliver',
    audience: (data) => [data.userId],
    ...(legacyV1 && { upcasters: { 1: fromStatusOnly } }),
  });
}

export const notificationStateEvents = {
  seen: stateEvent('notification.seen', 'A notification was shown in a list on one device.'),
  read: stateEvent('notification.read', 'A notification was read on one device; the others mark it read too.', true),
  unread: stateEvent('notification.unread', 'A notification was marked unread again.'),
  clicked: stateEvent('notification.clicked', 'A notification was opened (clicked) on one device; the others mark it read.', true),
  archived: stateEvent('notification.archived', 'A notification was archived; the others move it out of the inbox.'),
  unarchived: stateEvent('notification.unarchived', 'An archived notification was restored to the inbox, with its state as it was.'),
  snoozed: stateEvent('notification.snoozed', 'A notification was snoozed: hidden from the inbox and the counts until `state.snoozedUntil`.'),
  unsnoozed: stateEvent('notification.unsnoozed', 'A snoozed notification is due (or was woken) and is back in the inbox.'),
  expired: stateEvent('notification.expired', 'A notification passed its `expiresAt`; devices remove it, it can no longer be read.'),
  deleted: stateEvent('notification.deleted', 'A notification was deleted; every device removes it.'),
} as const satisfies Record<NotificationChange, unknown>;

/** The same types under their names before the notification center, for existing callers. */
export const notificationRead = notificationStateEvents.read;
export const notificationClicked = notificationStateEvents.clicked;

export const notificationBulkChanged = defineEventType({
  name: 'notification.bulk_changed',
  version: 1,
  description:
    'Many notifications were marked seen, read or archived at once (seen-all, read-all, archive-all); `notificationIds` lists them.',
  schema: z.object({
    userId: z.string().min(1),
    change: z.enum(['seen', 'read', 'archived']),
    notificationIds: z.array(z.string().min(1)),
    changedAt: z.iso.datetime(),
  }),
  delivery: 'must-deliver',
  audience: (data) => [data.userId],
});

export const notificationCounts = defineEventType({
  name: 'notification.counts',
  version: 1,
  description:
    "The user's badge counts after a change, with a per-user version that only grows; the REST answer to the change carries the same counts. Keep the highest version.",
  schema: z.object({
    userId: z.string().min(1),
    unseen: z.number().int().nonnegative(),
    unread: z.number().int().nonnegative(),
    version: z.number().int().positive(),
  }),
  delivery: 'latest-wins',
  audience: (data) => [data.userId],
});

/** No longer emitted (archiving replaced dismissing); declared so that stored events still replay. */
export const notificationDismissed = defineEventType({
  name: 'notification.dismissed',
  version: 1,
  description: 'Legacy, no longer emitted (see `notification.archived`): a notification was dismissed.',
  schema: z.object({ notificationId: z.string(), userId: z.string(), status: z.string(), changedAt: z.iso.datetime() }),
  delivery: 'must-deliver',
  audience: (data) => [data.userId],
});

export function notificationCreatedPayloadOf(n: NotificationSnapshot): z.input<typeof notificationCreatedPayload> {
  return {
    notificationId: n.id,
    userId: n.userId,
    title: n.title,
    body: n.body,
    priority: n.priority,
    category: n.category,
    source: n.source,
    action: n.action,
    data: n.data,
    expiresAt: n.expiresAt?.toISOString() ?? null,
    groupKey: n.groupKey,
    ...(!n.inApp && { inApp: false as const }),
    createdAt: n.createdAt.toISOString(),
  };
}

export function notificationStatePayloadOf(n: NotificationSnapshot, changedAt: Date): z.input<typeof stateChangedPayload> {
  const state = stateToJson(n);
  const status = readStatusOf(n);
  return { notificationId: n.id, userId: n.userId, status, state, changedAt: changedAt.toISOString() };
}
