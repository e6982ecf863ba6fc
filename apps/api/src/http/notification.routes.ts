import type {
  ChangeAllNotifications,
  ChangeNotificationState,
  CreateNotification,
  DeleteNotification,
  GetNotification,
  GetNotificationCounts,
  ListNotifications,
} from '@pushline/application';
import type { BulkChange } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';
import { malformedPathParameter } from './input-guard.js';
import { toCountsJson, toNotificationJson } from './notification-json.js';
import { BulkBody, CreateBody, ListQuery, NotificationIdParams, PatchBody } from './notification-schemas.js';
import { requestContextOf } from './request-context.js';

export interface NotificationRoutesDeps {
  readonly createNotification: CreateNotification;
  readonly changeState: ChangeNotificationState;
  readonly changeAll: ChangeAllNotifications;
  readonly deleteNotification: DeleteNotification;
  readonly getNotification: GetNotification;
  readonly getCounts: GetNotificationCounts;
  readonly listNotifications: ListNotifications;
  readonly requireAuth: RequestHandler;
  /** Per-user limit on the state-changing routes (the reads are not limited). */
  readonly writeRateLimit?: RequestHandler;
}

const BULK: Readonly<Record<string, BulkChange>> = { 'seen-all': 'seen', 'read-all': 'read', 'archive-all': 'archived' };

/** The notification center's REST API; see docs/notifications.md. Every change answers with `counts`. */
export function notificationRoutes(deps: NotificationRoutesDeps): Router {
  const router = Router();
  const writes: RequestHandler[] = deps.writeRateLimit ? [deps.writeRateLimit] : [];
  router.use('/notifications', deps.requireAuth);

  router.post('/notifications', ...writes, async (req, res) => {
    const body = parseInput(CreateBody, req.body ?? {});
    const { userId, tenantId } = claimsOf(req);
    const [created] = await deps.createNotification.execute({ ...body, tenantId, userIds: [userId] }, requestContextOf(req));
    if (!created) throw new Error('no notification created');
    res
      .status(201)
      .location(`${req.baseUrl}/notifications/${created.id}`)
      .json({ ...toNotificationJson(created), counts: toCountsJson(created.counts) });
  });

  router.get('/notifications', async (req, res) => {
    const query = parseInput(ListQuery, req.query, 'query');
    const page = await deps.listNotifications.execute({ ...query, userId: claimsOf(req).userId, tenantId: claimsOf(req).tenantId });
    res.json({ items: page.items.map(toNotificationJson), nextCursor: page.nextCursor });
  });

  router.get('/notifications/counts', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const { tenantId, userId } = claimsOf(req);
    res.json(toCountsJson(await deps.getCounts.execute({ tenantId, userId })));
  });

  for (const [path, change] of Object.entries(BULK)) {
    router.post(`/notifications/${path}`, ...writes, async (req, res) => {
      const filter = parseInput(BulkBody, req.body ?? {});
      const { tenantId, userId } = claimsOf(req);
      const result = await deps.changeAll.execute({ tenantId, userId, change, filter }, requestContextOf(req));
      res.json({ changed: result.changed, counts: toCountsJson(result.counts) });
    });
  }

  router.get('/notifications/:id', async (req, res) => {
    const { id } = parseInput(NotificationIdParams, req.params);
    res.json(toNotificationJson(await deps.getNotification.execute({ userId: claimsOf(req).userId, tenantId: claimsOf(req).tenantId, notificationId: id })));
  });

  router.patch('/notifications/:id', ...writes, async (req, res) => {
    const { id } = parseInput(NotificationIdParams, req.params);
    const { status, ...rest } = parseInput(PatchBody, req.body ?? {});
    const legacyDismiss = status === 'dismissed';
    const changed = await deps.changeState.execute(
      {
        userId: claimsOf(req).userId,
        tenantId: claimsOf(req).tenantId,
        notificationId: id,
        ...rest,
        ...(status && !legacyDismiss && { status }),
        ...(legacyDismiss && { archived: true }),
      },
      requestContextOf(req),
    );
    res.json({ ...toNotificationJson(changed.notification), counts: toCountsJson(changed.counts) });
  });

  router.delete('/notifications/:id', ...writes, async (req, res) => {
    const { id } = parseInput(NotificationIdParams, req.params);
    const deleted = await deps.deleteNotification.execute({ userId: claimsOf(req).userId, tenantId: claimsOf(req).tenantId, notificationId: id }, requestContextOf(req));
    res.json({ id: deleted.notification.id, deleted: true, counts: toCountsJson(deleted.counts) });
  });
  router.use(malformedPathParameter('id'));

  return router;
}
