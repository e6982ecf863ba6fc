import type { BroadcastToTenant } from '@pushline/application';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from './errors.js';
import { requestContextOf } from './request-context.js';
import { ResourceId } from './tenant-admin.routes.js';

export const BroadcastBody = z.object({
  type: z.string().min(1).max(100),
  subject: z.string().min(1).max(200),
  data: z.unknown().optional(),
});

export interface TenantBroadcastRoutesDeps {
  readonly requireAdmin: RequestHandler;
  /** Broadcasts per tenant (the shared limiter), after the operator is known. */
  readonly broadcastLimit: RequestHandler;
  readonly broadcastToTenant: BroadcastToTenant;
}

/**
 * `POST /admin/tenants/:tenantId/events`: the operator's broadcast to every user of the tenant, one
 * entry in the tenant's shared stream (docs/stream-cursor.md#tenant-broadcast).
 */
export function tenantBroadcastRoutes(deps: TenantBroadcastRoutesDeps): Router {
  const router = Router();
  router.post('/admin/tenants/:tenantId/events', deps.requireAdmin, deps.broadcastLimit, async (req, res) => {
    const { tenantId } = parseInput(z.object({ tenantId: ResourceId }), req.params);
    const body = parseInput(BroadcastBody, req.body);
    const broadcast = await deps.broadcastToTenant.execute({ tenantId, type: body.type, subject: body.subject, data: body.data ?? null }, requestContextOf(req));
    res.status(201).json(broadcast);
  });
  return router;
}
