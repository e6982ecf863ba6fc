import type { StreamHub } from '@pushline/stream-engine';
import { Router } from 'express';
import { requireAdmin } from './admin-auth.middleware.js';

export interface AdminRoutesDeps {
  readonly hub: StreamHub;
  /** `ADMIN_TOKEN`. Unset: the admin API does not exist (404), as if the route were never mounted. */
  readonly token?: string;
  readonly instanceId: string;
  readonly startedAt: Date;
}

/** Operator endpoints, behind their own token: a user's access token never opens them. */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = Router();
  router.get('/admin/stats', requireAdmin(deps.token), (_req, res) => {
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
