import { APP_LIMITS, APP_SCOPES, NOTIFICATION_LIMITS, NOTIFICATION_PRIORITIES, type EventQuery } from '@pushline/domain';
import { z } from 'zod';

/** Request schemas of the apps' routes: they validate requests and generate the OpenAPI document. */
export const AppId = z.string().min(1).max(64);

export const CreateAppBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(APP_LIMITS.nameMax),
  slug: z.string().regex(APP_LIMITS.slugPattern, 'must be 2 to 40 lowercase letters and digits, starting with a letter'),
});

export const CreateKeyBody = z.object({ scopes: z.array(z.enum(APP_SCOPES)).min(1, 'name at least one scope') });

const UserId = z.string().min(1).max(64);
const UserIds = z.array(UserId).min(1, 'name at least one user').max(APP_LIMITS.maxRecipients, `at most ${APP_LIMITS.maxRecipients} users`);

export const Audience = z
  .object({ userId: UserId.optional(), userIds: UserIds.optional(), tenant: z.literal(true).optional() })
  .strict()
  .refine((a) => [a.userId, a.userIds, a.tenant].filter((v) => v !== undefined).length === 1, 'give exactly one of userId, userIds, tenant');

export const PublishEventBody = z.object({
  type: z.string().min(1).max(200),
  version: z.number().int().positive().optional(),
  subject: z.string().min(1).max(APP_LIMITS.subjectMax),
  data: z.unknown(),
  audience: Audience,
});

export const PublishNotificationsBody = z
  .object({
    userId: UserId.optional(),
    userIds: UserIds.optional(),
    title: z.string().trim().min(1, 'must not be empty').max(NOTIFICATION_LIMITS.titleMax),
    body: z.string().max(NOTIFICATION_LIMITS.bodyMax).optional(),
    priority: z.enum(NOTIFICATION_PRIORITIES).optional(),
    data: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .refine((b) => (b.userId === undefined) !== (b.userIds === undefined), { message: 'give exactly one of userId, userIds', path: ['userIds'] });

export const DeclareEventTypeBody = z.object({
  type: z.string().min(1).max(200),
  version: z.number().int().positive(),
  schema: z.record(z.string(), z.unknown()),
});

export const EventListQuery = z.object({
  type: z.string().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  userId: UserId.optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** A parsed event list query as the `EventArchive` takes it (dates as dates, absent filters left out). */
export function eventQueryOf(q: z.output<typeof EventListQuery> & { appId?: string; tenantId?: string }): EventQuery {
  return {
    limit: q.limit,
    ...(q.type && { type: q.type }),
    ...(q.userId && { userId: q.userId }),
    ...(q.appId && { appId: q.appId }),
    ...(q.tenantId && { tenantId: q.tenantId }),
    ...(q.from && { from: new Date(q.from) }),
    ...(q.to && { to: new Date(q.to) }),
    ...(q.cursor && { cursor: q.cursor }),
  };
}

/** `Idempotency-Key`: printable ASCII, as Stripe accepts. */
export const IdempotencyKeyHeader = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters');
