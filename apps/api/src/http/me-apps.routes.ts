import type { InstallApp, UninstallApp } from '@pushline/application';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppId } from './app-schemas.js';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';

/** A user installs and uninstalls apps of their tenant with their own credentials. */
export function meAppsRoutes(deps: {
  readonly installApp: InstallApp;
  readonly uninstallApp: UninstallApp;
  readonly requireAuth: RequestHandler;
  readonly writeLimits: readonly RequestHandler[];
}): Router {
  const router = Router();
  router.use('/me/apps', deps.requireAuth);

  router.put('/me/apps/:appId', ...deps.writeLimits, async (req, res) => {
    const { appId } = parseInput(z.object({ appId: AppId }), req.params);
    const { userId, tenantId } = claimsOf(req);
    await deps.installApp.execute({ tenantId, userId, appId });
    res.status(204).end();
  });

  router.delete('/me/apps/:appId', ...deps.writeLimits, async (req, res) => {
    const { appId } = parseInput(z.object({ appId: AppId }), req.params);
    const { userId, tenantId } = claimsOf(req);
    await deps.uninstallApp.execute({ tenantId, userId, appId });
    res.status(204).end();
  });

  return router;
}
