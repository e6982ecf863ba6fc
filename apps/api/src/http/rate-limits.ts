import { createHash } from 'node:crypto';
import { connectRedis, isCluster, type RedisTarget } from '@pushline/broker-redis';
import { normalizeEmail } from '@pushline/domain';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Cluster } from 'ioredis';
import { RedisStore, type RedisReply, type SendCommandClusterDetails } from 'rate-limit-redis';
import type { Config } from '../config.js';
import { sendError } from './errors.js';

/**
 * Where the counters live: in this process (one instance), or in Redis so that every instance
 * counts against the same limit (`EVENT_BUS=redis`).
 */
export interface RateLimitStores {
  /** A store for the limiter called `name`; undefined means express-rate-limit's in-process memory store. */
  store(name: string): Store | undefined;
  /** Resolves once the counters' Redis is reachable (at once in memory); until then requests pass uncounted. */
  whenConnected(): Promise<void>;
  close(): Promise<void>;
}

export function memoryRateLimitStores(): RateLimitStores {
  return { store: () => undefined, whenConnected: async () => undefined, close: async () => undefined };
}

export function redisRateLimitStores(settings: { readonly redis: RedisTarget; readonly keyPrefix: string }, onError: (err: unknown) => void): RateLimitStores {
  // Fail fast while Redis is down: the limiter then lets the request through (see passOnStoreError).
  // A cluster has no bounded offline queue (commandTimeout starts on a node), so it queues nothing.
  const client = connectRedis(settings.redis, { maxRetriesPerRequest: 1, commandTimeout: 1000, lazyConnect: false, ...(isCluster(settings.redis) && { enableOfflineQueue: false }) });
  client.on('error', onError);
  const prefix = (name: string) => `${settings.keyPrefix}rate-limit:${name}:`;
  const whenConnected = () => (client.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => client.once('ready', () => resolve())));
  if (client.isCluster) {
    const sendCommandCluster = clusterCommandSender(client as Cluster);
    return { store: (name) => new RedisStore({ sendCommandCluster, prefix: prefix(name) }), whenConnected, close: () => quit(client) };
  }
  const sendCommand = (command: string, ...args: string[]) => client.call(command, ...args) as Promise<RedisReply>;
  return {
    store: (name) => new RedisStore({ sendCommand, prefix: prefix(name) }),
    whenConnected,
    close: () => quit(client),
  };
}

async function quit(client: { quit(): Promise<unknown>; disconnect(): void }): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}

/**
 * rate-limit-redis on a cluster: EVALSHA and the counter commands go to the node of their key (ioredis
 * routes them); a script is loaded on every master, because the store loads it once without a key and
 * again, after a NOSCRIPT from a node that lacks it (new or failed over), with one. The digest is the
 * script's SHA-1 (what SCRIPT LOAD answers), so it is known before the cluster is reachable.
 */
function clusterCommandSender(cluster: Cluster): (details: SendCommandClusterDetails) => Promise<RedisReply> {
  return async ({ command: [name, ...args] }) => {
    if (name?.toUpperCase() === 'SCRIPT' && args[0]?.toUpperCase() === 'LOAD' && args[1] !== undefined) {
      await Promise.all(cluster.nodes('master').map((node) => node.call('SCRIPT', 'LOAD', args[1]!)));
      return createHash('sha1').update(args[1]).digest('hex');
    }
    return cluster.call(name!, ...args) as Promise<RedisReply>;
  };
}

export interface RateLimiterOptions {
  /** Names the counter (and its Redis key prefix): `login-ip`, `writes-user`, later `api-key`, `tenant`. */
  readonly name: string;
  readonly windowMs: number;
  readonly limit: number;
  /** Who is counted; undefined lets the request through uncounted (e.g. no account named). */
  readonly keyOf: (req: Request) => string | undefined;
  /** The 429's message. */
  readonly message: string;
  /** Count only answers of 400 and above (failed logins). */
  readonly countFailuresOnly?: boolean;
}

/**
 * The one way to build a rate limit: express-rate-limit with the draft-8 `RateLimit`/`RateLimit-Policy`
 * headers, `Retry-After`, and the API's JSON error on 429. A store outage lets requests through rather
 * than failing them.
 */
export function createRateLimiter(options: RateLimiterOptions, stores: RateLimitStores, onStoreError?: (err: unknown) => void): RequestHandler {
  const store = stores.store(options.name);
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    identifier: options.name,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => options.keyOf(req) === undefined,
    keyGenerator: (req) => options.keyOf(req) ?? '',
    ...(options.countFailuresOnly && { skipSuccessfulRequests: true }),
    ...(store && { store }),
    passOnStoreError: true,
    // X-Forwarded-For is deliberately ignored unless TRUST_PROXY names the proxy.
    validate: { xForwardedForHeader: false, trustProxy: false },
    handler: (_req, res) => sendError(res, 429, 'rate_limited', options.message),
    ...(onStoreError && {
      logger: { error: (err: unknown) => onStoreError(err), warn: () => undefined },
    }),
  });
}

const MINUTE = 60_000;

/** The client's address (an IPv6 client by its /56), honouring X-Forwarded-For only from TRUST_PROXY. */
export const clientAddressOf = (req: Request): string => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');

/** Login: every attempt per address, and failed attempts per account (whatever address they come from). */
export function loginRateLimits(config: Config, stores: RateLimitStores, onStoreError?: (err: unknown) => void): RequestHandler[] {
  return [
    createRateLimiter(
      { name: 'login-ip', windowMs: MINUTE, limit: config.loginRateLimitPerMinute, keyOf: clientAddressOf, message: 'too many login attempts from this address; try again later' },
      stores,
      onStoreError,
    ),
    createRateLimiter(
      {
        name: 'login-account',
        windowMs: 60 * MINUTE,
        limit: config.rateLimits.loginFailuresPerAccountPerHour,
        keyOf: accountOf,
        countFailuresOnly: true,
        message: 'too many failed logins for this account; try again later',
      },
      stores,
      onStoreError,
    ),
  ];
}

/** Writes (notifications, status changes, typing) per user; mount after requireAuth. */
export function writeRateLimit(config: Config, stores: RateLimitStores, onStoreError?: (err: unknown) => void): RequestHandler {
  return createRateLimiter(
    { name: 'writes-user', windowMs: MINUTE, limit: config.rateLimits.writesPerUserPerMinute, keyOf: (req) => req.auth?.userId, message: 'too many writes; slow down and retry later' },
    stores,
    onStoreError,
  );
}

/** The account a login names, hashed so no email address is kept in a counter's key. */
function accountOf(req: Request): string | undefined {
  const email: unknown = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string' || email.length === 0 || email.length > 320) return undefined;
  return createHash('sha256').update(normalizeEmail(email)).digest('base64url');
}
