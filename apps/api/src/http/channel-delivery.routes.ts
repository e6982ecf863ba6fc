import type { ListChannelDeliveries, ListNotificationDeliveries } from '@pushline/application';
import { CHANNEL_DELIVERY_STATUSES, type ChannelDelivery } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';

export interface ChannelDeliveryRoutesDeps {
  readonly listForNotification: ListNotificationDeliveries;
  readonly listAll: ListChannelDeliveries;
  readonly requireAuth: RequestHandler;
  /** requireAdmin(): the operator's view (`ADMIN_TOKEN`; 404 when unset). */
  readonly requireAdmin: RequestHandler;
}

const Id = z.object({ id: z.string().min(1).max(64) });
export const ChannelDeliveryAdminQuery = z.object({
  userId: z.string().min(1).max(64).optional(),
  tenantId: z.string().min(1).max(64).optional(),
  notificationId: z.string().min(1).max(64).optional(),
  channel: z.enum(['email', 'web_push', 'webhook']).optional(),
  status: z.enum(CHANNEL_DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A send record as the API shows it: no digest key internals beyond whether it was part of one. */
export function toChannelDeliveryJson(d: ChannelDelivery) {
  return {
    id: d.id,
    notificationId: d.notificationId,
    userId: d.userId,
    channel: d.channel,
    category: d.category,
    status: d.status,
    reason: d.reason,
    digest: d.digestKey !== null,
    attempts: d.attempts.map((a) => ({ at: a.at.toISOString(), error: a.error })),
    nextAttemptAt: d.status === 'pending' ? (d.nextAttemptAt?.toISOString() ?? null) : null,
    sentAt: d.sentAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/**
 * `GET /notifications/:id/deliveries` (the owner: one record per outbound channel) and
 * `GET /admin/channel-deliveries` (the operator, `ADMIN_TOKEN`), docs/notifications.md#channels.
 */
export function channelDeliveryRoutes(deps: ChannelDeliveryRoutesDeps): Router {
  const router = Router();
  router.get('/notifications/:id/deliveries', deps.requireAuth, async (req, res) => {
    const { id } = parseInput(Id, req.params, 'path');
    const { userId, tenantId } = claimsOf(req);
    const items = await deps.listForNotification.execute({ userId, tenantId, notificationId: id });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: items.map(toChannelDeliveryJson) });
  });
  router.get('/admin/channel-deliveries', deps.requireAdmin, async (req, res) => {
    const q = parseInput(ChannelDeliveryAdminQuery, req.query, 'query');
    res.json({ items: (await deps.listAll.execute(q)).map(toChannelDeliveryJson) });
  });
  return router;
}
