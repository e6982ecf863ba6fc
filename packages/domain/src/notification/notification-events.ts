import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';
import { CHANGEABLE_STATUSES, NOTIFICATION_PRIORITIES, type NotificationSnapshot } from './notification.js';

const notificationCreatedPayload = z.object({
  notificationId: z.string().min(1),
  userId: z.string().min(1),
  title: z.string().min(1),
  body: z.string(),
  priority: z.enum(NOTIFICATION_PRIORITIES),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.iso.datetime(),
});

export const notificationCreated = defineEventType({
  name: 'notification.created',
  version: 1,
  description: 'A notification was created for a user; every device of that user shows it.',
  schema: notificationCreatedPayload,
  delivery: 'must-deliver',
  audience: (data) => [data.userId],
});

const statusChangedPayload = z.object({
  notificationId: z.string().min(1),
  userId: z.string().min(1),
  status: z.enum(CHANGEABLE_STATUSES),
  changedAt: z.iso.datetime(),
});

function statusEvent<const TName extends string>(name: TName, description: string) {
  return defineEventType({
    name,
    version: 1,
    description,
    schema: statusChangedPayload,
    delivery: 'must-deliver',
    audience: (data) => [data.userId],
  });
}

export const notificationRead = statusEvent(
  'notification.read',
  'A notification was read on one device; the others mark it read too.',
);
export const notificationDismissed = statusEvent(
  'notification.dismissed',
  'A notification was dismissed on one device; the others remove it too.',
);
export const notificationClicked = statusEvent(
  'notification.clicked',
  'A notification was opened (clicked) on one device; the others mark it read.',
);

export const notificationStatusEvents = {
  read: notificationRead,
  dismissed: notificationDismissed,
  clicked: notificationClicked,
} as const;

export function notificationCreatedPayloadOf(n: NotificationSnapshot): z.input<typeof notificationCreatedPayload> {
  return {
    notificationId: n.id,
    userId: n.userId,
    title: n.title,
    body: n.body,
    priority: n.priority,
    data: n.data,
    createdAt: n.createdAt.toISOString(),
  };
}
