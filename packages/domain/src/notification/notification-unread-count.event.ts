import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';

/** No longer emitted (see `notification.counts`); declared so that stored events still replay. */
export const notificationUnreadCount = defineEventType({
  name: 'notification.unread_count',
  version: 1,
  description: 'Legacy, no longer emitted (see `notification.counts`): the number of unread notifications.',
  schema: z.object({ userId: z.string().min(1), unread: z.number().int().nonnegative(), at: z.iso.datetime() }),
  delivery: 'latest-wins',
  audience: (data) => [data.userId],
});
