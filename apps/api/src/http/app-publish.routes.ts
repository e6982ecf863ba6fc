import type { AuthenticateApp, DeclareAppEventType, ListAppEvents, PublishAppEvent, PublishAppNotifications } from '@pushline/application';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { AppEventTypeRepository } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { withAppEventTypes } from './app-asyncapi.js';
import { findAsyncApiDocument } from './event-docs.routes.js';
import { idempotencyOf, principalOf, requireAppKey } from './app-key.middleware.js';
import { DeclareEventTypeBody, EventListQuery, eventQueryOf, PublishEventBody, PublishNotificationsBody } from './app-schemas.js';
import { parseInput } from './errors.js';
import { toNotificationJson } from './notification-json.js';
import { requestContextOf } from './request-context.js';

export interface AppPublishRoutesDeps {
  readonly authenticateApp: AuthenticateApp;
  readonly publishAppEvent: PublishAppEvent;
  readonly publishAppNotifications: PublishAppNotifications;
  readonly listAppEvents: ListAppEvents;
  readonly declareAppEventType: DeclareAppEventType;
  /** Per API key and per tenant (http/rate-limits.ts), run after the key is known. */
  readonly writeLimits: readonly RequestHandler[];
  readonly eventTypes: AppEventTypeRepository;
  /** The connection carried a valid key (HttpContext.connectionAuthenticated). */
  readonly onAuthenticated?: (socket: Socket) => void;
}

/** Server to server: an app, with one of its API keys, publishes to users who installed it. */
export function appPublishRoutes(deps: AppPublishRoutesDeps): Router {
  const router = Router();
  // Only these routes: the rest of /apps/:appId (the webhooks API) authorizes through AppAuthorizer.
  const APP_KEY_ROUTES = ['/apps/:appId/events', '/apps/:appId/notifications', '/apps/:appId/event-types', '/apps/:appId/asyncapi.json'];
  router.use(APP_KEY_ROUTES, requireAppKey(deps.authenticateApp, deps.onAuthenticated));

  router.post('/apps/:appId/events', ...deps.writeLimits, async (req, res) => {
    const body = parseInput(PublishEventBody, req.body);
    const idempotency = idempotencyOf(req);
    const audience = body.audience.tenant ? { tenant: true as const } : body.audience.userIds ? { userIds: body.audience.userIds } : { userId: body.audience.userId! };
    const published = await deps.publishAppEvent.execute(
      principalOf(req),
      { type: body.type, subject: body.subject, data: body.data, audience, ...(body.version && { version: body.version }), ...(idempotency && { idempotency }) },
      requestContextOf(req),
    );
    res.status(201).json(published);
  });

  router.post('/apps/:appId/notifications', ...deps.writeLimits, async (req, res) => {
    const { userId, userIds, ...notification } = parseInput(PublishNotificationsBody, req.body);
    const idempotency = idempotencyOf(req);
    const created = await deps.publishAppNotifications.execute(
      principalOf(req),
      { ...notification, userIds: userIds ?? [userId!], ...(idempotency && { idempotency }) },
      requestContextOf(req),
    );
    res.status(201).json({ ids: created.map((n) => n.id), items: created.map(toNotificationJson) });
  });

  router.get('/apps/:appId/events', async (req, res) => {
    const page = await deps.listAppEvents.execute(principalOf(req), eventQueryOf(parseInput(EventListQuery, req.query)));
    res.json({ items: page.items, nextCursor: page.nextCursor });
  });

  router.post('/apps/:appId/event-types', ...deps.writeLimits, async (req, res) => {
    const body = parseInput(DeclareEventTypeBody, req.body);
    const declared = await deps.declareAppEventType.execute(principalOf(req), body);
    res.status(201).json({ id: `${declared.type}@${declared.version}`, type: declared.type, version: declared.version, schema: declared.schema });
  });

  // The stream's AsyncAPI document with this app's declared types beside the catalog (any scope).
  let catalog: Record<string, unknown> | undefined;
  router.get('/apps/:appId/asyncapi.json', async (req, res) => {
    const path = findAsyncApiDocument();
    if (!path) throw new Error('docs/asyncapi.json is not deployed with this build');
    catalog ??= JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const { appId } = principalOf(req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(withAppEventTypes(catalog, appId, await deps.eventTypes.listByApp(appId)));
  });

  return router;
}
