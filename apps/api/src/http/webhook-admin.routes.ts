import type { ListFailingWebhooks } from '@pushline/application';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from './errors.js';
import { toWebhookJson } from './webhook-json.js';

export const FailingWebhooksQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

/** Operators' webhook view: `GET /admin/webhooks/failing`, subscriptions failing or disabled by failures, of every app. */
export function webhookAdminRoutes(deps: { readonly requireAdmin: RequestHandler; readonly listFailing: ListFailingWebhooks }): Router {
  const router = Router();
  router.get('/admin/webhooks/failing', deps.requireAdmin, async (req, res) => {
    const { limit } = parseInput(FailingWebhooksQuery, req.query);
    const items = await deps.listFailing.execute(limit ? { limit } : {});
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: items.map((s) => ({ ...toWebhookJson(s), appId: s.owner, failingSince: s.failingSince?.toISOString() ?? null })) });
  });
  return router;
}
