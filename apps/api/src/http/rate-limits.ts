import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { claimsOf } from './authenticate.middleware.js';
import { sendError } from './errors.js';

export interface PerUserRateLimitOptions {
  /** Names the limit in the 429 answer, e.g. `notification writes`. */
  readonly name: string;
  readonly limitPerMinute: number;
}

/**
 * One factory for per-user limits (mount after `requireAuth`): keyed by the authenticated user, so
 * all of a user's devices share it. Counts are kept per instance (express-rate-limit's memory store);
 * behind several instances the effective limit is the sum (docs/notifications.md).
 */
export function perUserRateLimit(options: PerUserRateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request) => `user:${claimsOf(req).userId}`,
    handler: (_req, res) => sendError(res, 429, 'rate_limited', `too many ${options.name}; at most ${options.limitPerMinute} a minute per user`),
  });
}
