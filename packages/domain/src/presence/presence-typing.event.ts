import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';

const presenceTypingPayload = z.object({
  userId: z.string().min(1),
  /** What is being typed on, e.g. the notification a reply is drafted for. */
  subject: z.string().min(1).max(200),
  typing: z.boolean(),
  at: z.iso.datetime(),
});

export const presenceTyping = defineEventType({
  name: 'presence.typing',
  version: 1,
  description:
    "One of the user's devices started or stopped typing (e.g. a reply); the user's other open devices show it. Live only: never stored or replayed.",
  schema: presenceTypingPayload,
  delivery: 'ephemeral',
  audience: (data) => [data.userId],
});
