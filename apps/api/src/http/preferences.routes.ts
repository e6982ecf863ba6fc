import type { GetPreferences, UpdatePreferences } from '@pushline/application';
import { NOTIFICATION_CHANNELS, type NotificationOwner } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';

const Channels = z.object(Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, z.boolean().optional()])) as Record<(typeof NOTIFICATION_CHANNELS)[number], z.ZodOptional<z.ZodBoolean>>).strict();
/** The shape GET answers, partial: `critical` may be sent back as it came; it is not settable. */
export const PreferencesBody = z
  .object({ categories: z.record(z.string().min(1).max(64), z.object({ critical: z.boolean().optional(), channels: Channels.optional() }).strict()) })
  .strict();

export interface PreferencesRoutesDeps {
  readonly getPreferences: GetPreferences;
  readonly updatePreferences: UpdatePreferences;
  readonly requireAuth: RequestHandler;
  readonly writeRateLimit?: RequestHandler;
}

/** The caller's user and tenant, both from its credentials. */
function ownerOf(req: Parameters<typeof claimsOf>[0]): NotificationOwner {
  const { tenantId, userId } = claimsOf(req);
  return { tenantId, userId };
}

/** `GET/PUT /preferences`: per category and channel, with `critical` categories that cannot be muted. */
export function preferencesRoutes(deps: PreferencesRoutesDeps): Router {
  const router = Router();
  router.use('/preferences', deps.requireAuth);
  router.get('/preferences', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.getPreferences.execute(ownerOf(req)));
  });
  router.put('/preferences', ...(deps.writeRateLimit ? [deps.writeRateLimit] : []), async (req, res) => {
    const { categories } = parseInput(PreferencesBody, req.body ?? {});
    const changes = Object.fromEntries(Object.entries(categories).map(([name, c]) => [name, c.channels ? { channels: c.channels } : {}]));
    res.json(await deps.updatePreferences.execute(ownerOf(req), changes));
  });
  return router;
}
