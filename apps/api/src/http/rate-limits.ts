import { rateLimit, type Store } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { sendError } from './errors.js';

/**
 * Where limiter counters live: this process (`memory`) or Redis, so a limit holds across every
 * instance (`EVENT_BUS=redis`). One Redis connection serves every limiter; `close` ends it.
 */
export interface RateLimitStores {
  /** A store for one limiter; `undefined` means express-rate-limit's in-memory store. */
  storeFor(name: string): Store | undefined;
  close(): Promise<void>;
}

export function rateLimitStores(redis?: { readonly url: string; readonly keyPrefix: string }): RateLimitStores {
  if (!redis) return { storeFor: () => undefined, close: async () => undefined };
  // The offline queue stays on so the stores' script loads wait for the first connection; a request
  // whose counter cannot be reached while Redis is down passes (passOnStoreError) rather than failing.
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1, connectionName: 'pushline-rate-limits' });
  client.on('error', () => undefined);
  return {
    storeFor: (name) =>
      new RedisStore({ prefix: `${redis.keyPrefix}rl:${name}:`, sendCommand: (command: string, ...args: string[]) => client.call(command, ...args) as Promise<RedisReply> }),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

export interface LimiterOptions {
  /** Names the limit in `RateLimit-Policy` and in the Redis keys. */
  readonly name: string;
  readonly limitPerMinute: number;
  /** Who is counted; requests without a key (not authenticated this way) are not limited here. */
  readonly keyOf: (req: Request) => string | undefined;
  readonly message: string;
}

/**
 * The one limiter factory (express-rate-limit): 429 `rate_limited` with `Retry-After` and the
 * standard `RateLimit` / `RateLimit-Policy` headers (draft 8).
 */
export function createRateLimiter(stores: RateLimitStores, options: LimiterOptions): RequestHandler {
  const store = stores.storeFor(options.name);
  return rateLimit({
    windowMs: 60_000,
    limit: options.limitPerMinute,
    identifier: options.name,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: true,
    ...(store && { store }),
    skip: (req) => options.keyOf(req) === undefined,
    keyGenerator: (req) => options.keyOf(req) ?? '',
    handler: (_req, res) => sendError(res, 429, 'rate_limited', options.message),
  });
}
