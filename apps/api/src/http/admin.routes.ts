import type { StreamHub } from '@pushline/stream-engine';
import { Router, type RequestHandler } from 'express';

export interface AdminRoutesDeps {
  readonly hub: StreamHub;
  /** requireAdmin(): `ADMIN_TOKEN`; unset, the admin API does not exist (404), as if never mounted. */
  readonly requireAdmin: RequestHandler;
  readonly instanceId: string;
  readonly startedAt: Date;
}

/** Operator endpoints, behind their own token: a user's access token never opens them. */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = Router();
  router.get('/admin/stats', deps.requireAdmin, (_req, res) => {
    const stats = deps.hub.stats();
    res.json({
      instance: {
        id: deps.instanceId,
        startedAt: deps.startedAt.toISOString(),
        uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
      },
      activeUsers: stats.users,
      totalDevices: stats.devices,
      devicesPerUser: { max: stats.maxDevicesPerUser, distribution: stats.devicesPerUser },
    });
  });
  return router;
}
