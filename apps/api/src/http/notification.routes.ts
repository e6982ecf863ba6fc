import {
  LIST_LIMITS,
  type ChangeNotificationStatus,
  type CreateNotification,
  type ListNotifications,
} from '@pushline/application';
import {
  CHANGEABLE_STATUSES,
  NOTIFICATION_LIMITS,
  NOTIFICATION_PRIORITIES,
  type NotificationSnapshot,
} from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';
import { requestContextOf } from './request-context.js';

export const CreateBody = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(NOTIFICATION_LIMITS.titleMax),
  body: z.string().max(NOTIFICATION_LIMITS.bodyMax).optional(),
  priority: z.enum(NOTIFICATION_PRIORITIES).optional(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const PatchBody = z.object({ status: z.enum(CHANGEABLE_STATUSES) });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(LIST_LIMITS.max).optional(),
  before: z.string().min(1).max(512).optional(),
});

const NotificationId = z.string().min(1).max(64);

export function toNotificationJson(n: NotificationSnapshot) {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    priority: n.priority,
    data: n.data,
    status: n.status,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

export interface NotificationRoutesDeps {
  readonly createNotification: CreateNotification;
  readonly changeStatus: ChangeNotificationStatus;
  readonly listNotifications: ListNotifications;
  readonly requireAuth: RequestHandler;
}

export function notificationRoutes(deps: NotificationRoutesDeps): Router {
  const router = Router();
  router.use('/notifications', deps.requireAuth);

  router.post('/notifications', async (req, res) => {
    const body = parseInput(CreateBody, req.body);
    const { userId, tenantId } = claimsOf(req);
    const [created] = await deps.createNotification.execute({ ...body, tenantId, userIds: [userId] }, requestContextOf(req));
    if (!created) throw new Error('no notification created');
    res.status(201).location(`${req.baseUrl}/notifications/${created.id}`).json(toNotificationJson(created));
  });

  router.get('/notifications', async (req, res) => {
    const query = parseInput(ListQuery, req.query);
    const page = await deps.listNotifications.execute({ ...query, userId: claimsOf(req).userId, tenantId: claimsOf(req).tenantId });
    res.json({ items: page.items.map(toNotificationJson), nextCursor: page.nextCursor });
  });

  router.patch('/notifications/:id', async (req, res) => {
    const { status } = parseInput(PatchBody, req.body);
    const notificationId = parseInput(z.object({ id: NotificationId }), req.params).id;
    const changed = await deps.changeStatus.execute(
      { userId: claimsOf(req).userId, tenantId: claimsOf(req).tenantId, notificationId, status },
      requestContextOf(req),
    );
    res.json(toNotificationJson(changed));
  });

  return router;
}
