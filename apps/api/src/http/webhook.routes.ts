import type { Socket } from 'node:net';
import {
  WEBHOOK_PAGE_LIMITS,
  type CreateWebhookSubscription,
  type DeleteWebhookSubscription,
  type GetWebhookStatus,
  type GetWebhookSubscription,
  type ListWebhookSubscriptions,
  type RotateWebhookSecret,
  type UpdateWebhookSubscription,
} from '@pushline/application';
import { WEBHOOK_LIMITS, type AppAuthorizer } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { appIdOf, appOwnerOf, requireAppScope } from './app-scope.middleware.js';
import { parseInput } from './errors.js';
import { toStatusJson, toWebhookJson } from './webhook-json.js';

const EventTypes = z.array(z.string().min(1).max(200)).min(1).max(WEBHOOK_LIMITS.eventTypesMax);
const UserIds = z.array(z.string().min(1).max(128)).max(WEBHOOK_LIMITS.userIdsMax);
const Url = z.string().min(1).max(WEBHOOK_LIMITS.urlMaxLength);
const Description = z.string().max(WEBHOOK_LIMITS.descriptionMax);

export const WebhookCreateBody = z.object({ url: Url, eventTypes: EventTypes, userIds: UserIds.optional(), description: Description.optional(), enabled: z.boolean().optional() });
export const WebhookPatchBody = z
  .object({ url: Url, eventTypes: EventTypes, userIds: UserIds, description: Description, enabled: z.boolean() })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'send at least one of url, eventTypes, userIds, description, enabled');
export const WebhookListQuery = z.object({ limit: z.coerce.number().int().min(1).max(WEBHOOK_PAGE_LIMITS.max).optional(), cursor: z.string().min(1).max(512).optional() });
export const WebhookParams = z.object({ id: z.string().min(1).max(64) });

export interface WebhookRoutesDeps {
  readonly authorizer: AppAuthorizer;
  /** An authorized request leaves the unauthenticated-connection cap (HttpContext.connectionAuthenticated). */
  readonly onAuthenticated?: (socket: Socket) => void;
  readonly create: CreateWebhookSubscription;
  readonly update: UpdateWebhookSubscription;
  readonly get: GetWebhookSubscription;
  readonly list: ListWebhookSubscriptions;
  readonly remove: DeleteWebhookSubscription;
  readonly rotateSecret: RotateWebhookSecret;
  readonly status: GetWebhookStatus;
  /** Limits on the changing routes, after the app is known (reads are not limited). */
  readonly writeLimits?: readonly RequestHandler[];
}

/** An app's webhook subscriptions: `/apps/:appId/webhooks`, with the scope `webhooks:manage`. */
export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const router = Router();
  const auth = requireAppScope(deps.authorizer, 'webhooks:manage', deps.onAuthenticated);
  const write = [auth, ...(deps.writeLimits ?? [])];
  const base = '/apps/:appId/webhooks';

  router.post(base, ...write, async (req, res) => {
    const body = parseInput(WebhookCreateBody, req.body);
    const { subscription, secret } = await deps.create.execute({ ...body, owner: appOwnerOf(req) });
    res.status(201).location(`${req.baseUrl}/apps/${appIdOf(req)}/webhooks/${subscription.id}`).json({ ...toWebhookJson(subscription), secret });
  });

  router.get(base, auth, async (req, res) => {
    const query = parseInput(WebhookListQuery, req.query);
    const page = await deps.list.execute({ owner: appOwnerOf(req), ...(query.limit && { limit: query.limit }), ...(query.cursor && { after: query.cursor }) });
    res.json({ items: page.items.map(toWebhookJson), nextCursor: page.nextCursor });
  });

  router.get(`${base}/:id`, auth, async (req, res) => {
    const { id } = parseInput(WebhookParams, req.params);
    res.json(toWebhookJson(await deps.get.execute({ owner: appOwnerOf(req), id })));
  });

  router.patch(`${base}/:id`, ...write, async (req, res) => {
    const { id } = parseInput(WebhookParams, req.params);
    const changes = parseInput(WebhookPatchBody, req.body);
    res.json(toWebhookJson(await deps.update.execute({ owner: appOwnerOf(req), id, changes })));
  });

  router.delete(`${base}/:id`, ...write, async (req, res) => {
    const { id } = parseInput(WebhookParams, req.params);
    await deps.remove.execute({ owner: appOwnerOf(req), id });
    res.status(204).end();
  });

  router.post(`${base}/:id/rotate-secret`, ...write, async (req, res) => {
    const { id } = parseInput(WebhookParams, req.params);
    const rotated = await deps.rotateSecret.execute({ owner: appOwnerOf(req), id });
    res.json({ secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt?.toISOString() ?? null });
  });

  router.get(`${base}/:id/status`, auth, async (req, res) => {
    const { id } = parseInput(WebhookParams, req.params);
    res.json(toStatusJson(await deps.status.execute({ owner: appOwnerOf(req), id })));
  });

  return router;
}
