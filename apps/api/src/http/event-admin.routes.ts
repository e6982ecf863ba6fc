import type { CountEvents, QueryEvents, ReplayEventsToStreams, ReplayEventsToWebhook } from '@pushline/application';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { EventListQuery, eventQueryOf } from './app-schemas.js';
import { parseInput } from './errors.js';
import { requestContextOf } from './request-context.js';

const Id = z.string().min(1).max(64);
export const AdminEventQuery = EventListQuery.extend({ appId: Id.optional(), tenantId: Id.optional() });
export const EventCountsQuery = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  bucket: z.enum(['hour', 'day']).default('hour'),
  type: z.string().min(1).max(200).optional(),
  tenantId: Id.optional(),
  appId: Id.optional(),
});
export const ReplayBody = z.object({
  eventIds: z.array(Id).min(1).max(100),
  target: z.union([z.object({ stream: z.literal(true) }).strict(), z.object({ webhookId: Id }).strict()]),
});

export interface EventAdminRoutesDeps {
  readonly requireAdmin: RequestHandler;
  readonly queryEvents: QueryEvents;
  readonly countEvents: CountEvents;
  readonly replayEvents: ReplayEventsToStreams;
  readonly replayToWebhook: ReplayEventsToWebhook;
}

/** The operator's event API: query, counts per bucket, replay to the users' streams or to one webhook. */
export function eventAdminRoutes(deps: EventAdminRoutesDeps): Router {
  const router = Router();
  router.use('/admin/events', deps.requireAdmin);

  router.get('/admin/events', async (req, res) => {
    const page = await deps.queryEvents.execute(eventQueryOf(parseInput(AdminEventQuery, req.query)));
    res.json({ items: page.items, nextCursor: page.nextCursor });
  });

  router.get('/admin/events/counts', async (req, res) => {
    const q = parseInput(EventCountsQuery, req.query);
    const buckets = await deps.countEvents.execute({
      from: new Date(q.from),
      to: new Date(q.to),
      bucket: q.bucket,
      ...(q.type && { type: q.type }),
      ...(q.tenantId && { tenantId: q.tenantId }),
      ...(q.appId && { appId: q.appId }),
    });
    res.json({ buckets: buckets.map((b) => ({ start: b.start.toISOString(), type: b.type, count: b.count })) });
  });

  router.post('/admin/events/replay', async (req, res) => {
    const { eventIds, target } = parseInput(ReplayBody, req.body);
    if ('webhookId' in target) {
      const result = await deps.replayToWebhook.execute({ subscriptionId: target.webhookId, eventIds });
      res.status(201).json(result);
      return;
    }
    const replayed = await deps.replayEvents.execute(eventIds, requestContextOf(req));
    res.status(201).json({ items: replayed });
  });

  return router;
}
