import type { AppAuthorizer } from '@pushline/domain';
import type { Container } from 'inversify';
import { Router } from 'express';
import type { Config } from '../config.js';
import { WEBHOOK_TOKENS as W } from '../container/webhook-tokens.js';
import { TOKENS } from '../tokens.js';
import { webhookAdminRoutes } from './webhook-admin.routes.js';
import { webhookDeliveryRoutes } from './webhook-delivery.routes.js';
import { webhookRoutes } from './webhook.routes.js';

/** Every webhook route, resolved from the container once (mounted under /api/v1 with one line). */
export function webhookFeatureRoutes(container: Container): Router {
  const authorizer = container.get<AppAuthorizer>(W.AppAuthorizer);
  const router = Router();
  router.use(
    webhookRoutes({
      authorizer,
      create: container.get(W.CreateSubscription),
      update: container.get(W.UpdateSubscription),
      get: container.get(W.GetSubscription),
      list: container.get(W.ListSubscriptions),
      remove: container.get(W.DeleteSubscription),
      rotateSecret: container.get(W.RotateSecret),
      status: container.get(W.GetStatus),
    }),
  );
  router.use(
    webhookDeliveryRoutes({
      authorizer,
      list: container.get(W.ListDeliveries),
      redeliver: container.get(W.Redeliver),
      redeliverFailed: container.get(W.RedeliverFailed),
    }),
  );
  const adminToken = container.get<Config>(TOKENS.Config).ops.adminToken;
  router.use(webhookAdminRoutes({ ...(adminToken && { token: adminToken }), listFailing: container.get(W.ListFailing) }));
  return router;
}
