import type { StreamHub } from '@pushline/stream-engine';
import { Router } from 'express';
import { hasBearerToken } from './bearer-token.js';
import { sendError } from './errors.js';

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
  router.get('/admin/stats', (req, res) => {
    if (deps.token === undefined) {
      sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`);
      return;
    }
    if (!hasBearerToken(req, deps.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      sendError(res, 401, 'unauthenticated', 'the admin API needs the ADMIN_TOKEN bearer token');
      return;
    }
    const stats = deps.hub.stats();
    res.setHeader('Cache-Control', 'no-store');
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
