import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';

const notificationUnreadCountPayload = z.object({
  userId: z.string().min(1),
  unread: z.number().int().nonnegative(),
  at: z.iso.datetime(),
});

export const notificationUnreadCount = defineEventType({
  name: 'notification.unread_count',
  version: 1,
  description:
    "The user's number of unread notifications changed (badge). Only the newest value matters: a device that is behind gets just the latest one.",
  schema: notificationUnreadCountPayload,
  delivery: 'latest-wins',
  audience: (data) => [data.userId],
});
