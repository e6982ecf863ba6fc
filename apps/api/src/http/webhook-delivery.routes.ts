import type { Socket } from 'node:net';
import { WEBHOOK_PAGE_LIMITS, type ListWebhookDeliveries, type RedeliverFailedWebhooks, type RedeliverWebhook } from '@pushline/application';
import type { AppAuthorizer } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { appOwnerOf, requireAppScope } from './app-scope.middleware.js';
import { parseInput } from './errors.js';
import { toDeliveryJson } from './webhook-json.js';

const Id = z.string().min(1).max(64);
const Params = z.object({ id: Id });
export const WebhookDeliveryParams = z.object({ id: Id, deliveryId: Id });
export const WebhookDeliveryListQuery = z.object({ limit: z.coerce.number().int().min(1).max(WEBHOOK_PAGE_LIMITS.max).optional(), cursor: z.string().min(1).max(512).optional() });
export const RedeliverFailedBody = z.object({ since: z.iso.datetime({ offset: true }) });

export interface WebhookDeliveryRoutesDeps {
  readonly authorizer: AppAuthorizer;
  /** An authorized request leaves the unauthenticated-connection cap (HttpContext.connectionAuthenticated). */
  readonly onAuthenticated?: (socket: Socket) => void;
  readonly list: ListWebhookDeliveries;
  readonly redeliver: RedeliverWebhook;
  readonly redeliverFailed: RedeliverFailedWebhooks;
  /** Limits on the redelivery routes, after the app is known (reads are not limited). */
  readonly writeLimits?: readonly RequestHandler[];
}

/** A subscription's delivery log and redelivery, with the scope `webhooks:manage`. */
export function webhookDeliveryRoutes(deps: WebhookDeliveryRoutesDeps): Router {
  const router = Router();
  const auth = requireAppScope(deps.authorizer, 'webhooks:manage', deps.onAuthenticated);
  const write = [auth, ...(deps.writeLimits ?? [])];
  const base = '/apps/:appId/webhooks/:id';

  router.get(`${base}/deliveries`, auth, async (req, res) => {
    const { id: subscriptionId } = parseInput(Params, req.params);
    const query = parseInput(WebhookDeliveryListQuery, req.query);
    const page = await deps.list.execute({
      owner: appOwnerOf(req),
      subscriptionId,
      ...(query.limit && { limit: query.limit }),
      ...(query.cursor && { after: query.cursor }),
    });
    res.json({ items: page.items.map(toDeliveryJson), nextCursor: page.nextCursor });
  });

  router.post(`${base}/deliveries/:deliveryId/redeliver`, ...write, async (req, res) => {
    const { id: subscriptionId, deliveryId } = parseInput(WebhookDeliveryParams, req.params);
    await deps.redeliver.execute({ owner: appOwnerOf(req), subscriptionId, deliveryId });
    res.status(202).json({ queued: 1 });
  });

  router.post(`${base}/redeliver-failed`, ...write, async (req, res) => {
    const { id: subscriptionId } = parseInput(Params, req.params);
    const { since } = parseInput(RedeliverFailedBody, req.body);
    res.status(202).json(await deps.redeliverFailed.execute({ owner: appOwnerOf(req), subscriptionId, since: new Date(since) }));
  });

  return router;
}
