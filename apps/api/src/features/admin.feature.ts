import { StreamHub } from '@pushline/stream-engine';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { adminRoutes } from '../http/admin.routes.js';

/** The operator's API, behind `ADMIN_TOKEN` (404 when unset). */
export const adminFeature = defineFeature({
  name: 'admin',
  routes(services, http) {
    const { config } = http;
    const router = Router();
    router.use(
      adminRoutes({
        hub: services.get(StreamHub),
        instanceId: config.ops.instanceId,
        startedAt: new Date(),
        requireAdmin: http.requireAdmin,
      }),
    );
    return router;
  },
});
