import type { SubscribeToPush, UnsubscribeFromPush } from '@pushline/application';
import { NotFoundError, PUSH_LIMITS, type PushSubscription } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';

const Endpoint = z.string().min(1).max(PUSH_LIMITS.endpointMaxLength);
/** A browser's `PushSubscription.toJSON()`; fields it may add later are ignored. */
export const PushSubscriptionBody = z.object({
  endpoint: Endpoint,
  expirationTime: z.number().int().nonnegative().nullable().optional(),
  keys: z.object({ p256dh: z.string().min(1).max(128), auth: z.string().min(1).max(64) }),
});
export const PushUnsubscribeBody = z.object({ endpoint: Endpoint });
export const PushSubscriptionJson = z.object({ id: z.string(), endpoint: z.string(), expirationTime: z.string().nullable(), createdAt: z.string() });

export interface PushSubscriptionRoutesDeps {
  readonly subscribe: SubscribeToPush;
  readonly unsubscribe: UnsubscribeFromPush;
  /** The VAPID public key browsers subscribe with; undefined while web push is off. */
  readonly vapidPublicKey: string | undefined;
  readonly requireAuth: RequestHandler;
  readonly writeRateLimit?: RequestHandler;
}

const toJson = (s: PushSubscription): z.infer<typeof PushSubscriptionJson> => ({
  id: s.id,
  endpoint: s.endpoint,
  expirationTime: s.expirationTime?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
});

const webPushOff = () => new NotFoundError('web push', '(set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT)');

/** `POST/DELETE /push-subscriptions` for the logged-in user, and `GET /push/vapid-public-key` for browsers. */
export function pushSubscriptionRoutes(deps: PushSubscriptionRoutesDeps): Router {
  const router = Router();
  const limit = deps.writeRateLimit ? [deps.writeRateLimit] : [];
  router.get('/push/vapid-public-key', (_req, res) => {
    if (!deps.vapidPublicKey) throw webPushOff();
    res.json({ publicKey: deps.vapidPublicKey });
  });
  router.use('/push-subscriptions', deps.requireAuth);
  router.post('/push-subscriptions', ...limit, async (req, res) => {
    if (!deps.vapidPublicKey) throw webPushOff();
    const body = parseInput(PushSubscriptionBody, req.body);
    const { userId, tenantId } = claimsOf(req);
    const { subscription, created } = await deps.subscribe.execute({ tenantId, userId, ...body });
    res.status(created ? 201 : 200).json(toJson(subscription));
  });
  router.delete('/push-subscriptions', ...limit, async (req, res) => {
    const { endpoint } = parseInput(PushUnsubscribeBody, req.body ?? {});
    const { userId, tenantId } = claimsOf(req);
    await deps.unsubscribe.execute({ tenantId, userId }, endpoint);
    res.status(204).end();
  });
  return router;
}
