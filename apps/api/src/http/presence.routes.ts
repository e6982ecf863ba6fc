import type { ReportTyping } from '@pushline/application';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';
import { requestContextOf } from './request-context.js';

export const TypingBody = z.object({
  subject: z.string().trim().min(1, 'must not be empty').max(200),
  typing: z.boolean().default(true),
});

export interface PresenceRoutesDeps {
  readonly reportTyping: ReportTyping;
  readonly requireAuth: RequestHandler;
  /** Per user; after requireAuth. */
  readonly writeRateLimit: RequestHandler;
}

/** `POST /presence/typing {subject, typing?}` → 202: the user's other devices get `presence.typing`, live only. */
export function presenceRoutes(deps: PresenceRoutesDeps): Router {
  const router = Router();
  router.use('/presence', deps.requireAuth);

  router.post('/presence/typing', deps.writeRateLimit, async (req, res) => {
    const body = parseInput(TypingBody, req.body);
    await deps.reportTyping.execute({ ...body, userId: claimsOf(req).userId }, requestContextOf(req));
    res.status(202).end();
  });

  return router;
}
