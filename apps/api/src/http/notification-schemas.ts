import { LIST_LIMITS, SETTABLE_STATUSES } from '@pushline/application';
import { NOTIFICATION_LIMITS as L, NOTIFICATION_PRIORITIES, NOTIFICATION_STATUS_FILTERS } from '@pushline/domain';
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const data = z.record(z.string(), z.unknown());

/** `POST /notifications`: a user's own test notification (category `test`). */
export const CreateBody = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(L.titleMax),
  body: z.string().max(L.bodyMax).optional(),
  priority: z.enum(NOTIFICATION_PRIORITIES).optional(),
  data: data.nullable().optional(),
  expiresAt: isoTime.nullable().optional(),
  action: z
    .object({ url: z.string().min(1).max(L.actionUrlMax), label: z.string().trim().min(1).max(L.actionLabelMax), data: data.nullable().optional() })
    .nullable()
    .optional(),
});

/**
 * `PATCH /notifications/:id`. `dismissed` is the status of the page and clients before the
 * notification center: it means `archived: true` and will be removed once they moved on.
 */
export const PatchBody = z
  .object({
    status: z.enum([...SETTABLE_STATUSES, 'dismissed']).optional(),
    archived: z.boolean().optional(),
    snoozedUntil: isoTime.nullable().optional(),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.archived !== undefined || b.snoozedUntil !== undefined, {
    message: 'give at least one of status, archived, snoozedUntil',
  });

export const ListQuery = z.object({
  status: z.enum(NOTIFICATION_STATUS_FILTERS).optional(),
  category: z.string().min(1).max(L.categoryMax).optional(),
  priority: z.enum(NOTIFICATION_PRIORITIES).optional(),
  archived: z.enum(['true', 'false', 'any']).transform((v) => (v === 'any' ? 'any' : v === 'true')).optional(),
  since: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(LIST_LIMITS.max).optional(),
  before: z.string().min(1).max(512).optional(),
});

/** Optional filter of seen-all, read-all and archive-all; `before` is a time (created before it). */
export const BulkBody = z.object({ category: z.string().min(1).max(L.categoryMax).optional(), before: isoTime.optional() }).strict();

export const NotificationIdParams = z.object({ id: z.string().min(1).max(64) });
