import { hostname } from 'node:os';
import { z } from 'zod';
import { parseClusterNodes, type RedisTarget } from '@pushline/broker-redis';
import { loadWebhookConfig, type WebhookConfig } from './webhook-config.js';
import { loadWebPushConfig, type WebPushConfig } from './web-push-config.js';
import { loadChannelConfig, type ChannelConfig } from './channel-config.js';
import { SecurityEnvSchema, securityConfigOf, type SecurityConfig } from './security-settings.js';

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();
const positiveInt = z.coerce.number().int().positive();

const EnvSchema = SecurityEnvSchema.extend({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  SEED_DEMO: flag,
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: positiveInt.default(3600),
  COOKIE_SECURE: flag,
  SSE_HEARTBEAT_MS: positiveInt.min(100).default(15_000),
  SSE_RETRY_MS: positiveInt.default(3000),
  TRANSPORTS: z
    .string()
    .default('sse,ws')
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['sse', 'ws'])).min(1, 'name at least one of sse, ws')),
  STREAM_MAX_DEVICES_PER_USER: positiveInt.default(20),
  STREAM_MAX_BUFFERED_BYTES: positiveInt.default(1024 * 1024),
  STREAM_REAUTH_LEAD_MS: positiveInt.default(60_000),
  STREAM_MAX_PENDING_OPENS: positiveInt.default(8192),
  LISTEN_BACKLOG: positiveInt.default(4096),
  OUTBOX_POLL_MS: positiveInt.default(1000),
  OUTBOX_SWEEP_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
  OUTBOX_FAST_PATH: flag,
  WRITE_STATEMENTS_IN_FLIGHT: positiveInt.max(64).default(2),
  WRITE_PARALLEL_ROWS: positiveInt.default(200),
  NOTIFICATIONS_MAX_PER_USER: positiveInt.default(1000),
  NOTIFICATION_EXPIRY_INTERVAL_MS: positiveInt.min(100).default(60_000),
  HANDLER_POLL_MS: positiveInt.default(1000),
  HANDLER_MAX_ATTEMPTS: positiveInt.default(8),
  HANDLER_RETRY_BASE_MS: positiveInt.default(1000),
  HANDLER_JOB_RETENTION_DAYS: positiveInt.default(7),
  CHANNEL_DELIVERY_RETENTION_DAYS: positiveInt.default(30),
  EVENT_BUS: z.enum(['memory', 'redis']).default('memory'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('pushline:'),
  REDIS_STREAM_SHARDS: positiveInt.max(65_536).default(1024),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((v, ctx) => {
      try {
        return parseClusterNodes(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `must be host:port,host:port,… (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .optional(),
  REDIS_PUBSUB: z.enum(['plain', 'sharded']).optional(),
  EVENT_RETENTION_DAYS: positiveInt.default(30),
  EVENT_RETENTION_INTERVAL_MS: positiveInt.min(1000).default(60 * 60 * 1000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  /** Login attempts per client address per minute. */
  LOGIN_RATE_LIMIT_PER_MINUTE: positiveInt.default(10),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  INSTANCE_ID: z.string().min(1).max(128).optional(),
  SELF_REGISTRATION_TENANT_ID: z.string().min(1).max(64).optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_PUBLIC_KEY: z
    .string()
    .transform((v) => v.replaceAll('\\n', '\n'))
    .pipe(z.string().regex(/-----BEGIN PUBLIC KEY-----/, 'must be a PEM (SPKI) public key'))
    .optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_USER_CLAIM: z.string().min(1).default('sub'),
  AUTH_TENANT_CLAIM: z.string().min(1).optional(),
  AUTH_EMAIL_CLAIM: z.string().min(1).default('email'),
  AUTH_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  APP_KEY_RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
  TENANT_WRITE_RATE_LIMIT_PER_MINUTE: positiveInt.default(3000),
  // CORS_ORIGINS is read by the security settings (one allow-list for CORS and the Origin checks).
});

export interface Config extends SecurityConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly database: { readonly url?: string; readonly dataDir: string };
  readonly seedDemo: boolean;
  readonly jwt: { readonly secret?: string; readonly ttlSeconds: number };
  readonly cookieSecure: boolean;
  readonly stream: {
    readonly heartbeatMs: number;
    readonly retryMs: number;
    readonly maxDevicesPerUser: number;
    readonly maxBufferedBytes: number;
    readonly reauthLeadMs: number;
    /** Stream opens being authenticated and started at once; beyond it, opens are shed (retry later). */
    readonly maxPendingOpens: number;
  };
  /** Accept queue length for the listening socket (the kernel caps it at net.core.somaxconn). */
  readonly listenBacklog: number;
  readonly outboxPollMs: number;
  /** The poll sweeps only outbox rows at least this old; younger ones are the fast path's (`OUTBOX_SWEEP_AFTER_MS`). */
  readonly outboxSweepAfterMs: number;
  /** Publish committed entries at once instead of waiting for the relay's drain (default on). */
  readonly outboxFastPath: boolean;
  /** Units of work's statements in flight at once; units finishing meanwhile share the next (group commit). */
  readonly writeStatementsInFlight: number;
  /** Stream rows waiting before a statement beyond the first starts (`WRITE_PARALLEL_ROWS`). */
  readonly writeParallelRows: number;
  /** How committed entries reach the devices: this process only (`memory`) or every instance (`redis`). */
  readonly eventBus:
    | { readonly kind: 'memory' }
    | {
        readonly kind: 'redis';
        /** One Redis (REDIS_URL), or a Redis Cluster when REDIS_CLUSTER_NODES names its seeds. */
        readonly redis: RedisTarget;
        readonly keyPrefix: string;
        /** Channels users' entries are spread over; an instance subscribes to the shards of users it holds. */
        readonly shards: number;
        /** `sharded`: SPUBLISH/SSUBSCRIBE (Redis 7 sharded pub/sub); the default on a cluster. */
        readonly pubSubMode: 'plain' | 'sharded';
      };
  readonly retention: { readonly days: number; readonly intervalMs: number };
  readonly shutdownTimeoutMs: number;
  readonly logLevel: string;
  /** `pretty`: one short coloured line per entry (pino-pretty); `json`: one JSON object per line. */
  readonly logFormat: 'pretty' | 'json';
  readonly loginRateLimitPerMinute: number;
  /** Operability: `/metrics` Bearer token (unset: loopback only), admin API token (unset: admin API off). */
  readonly ops: { readonly metricsToken?: string; readonly adminToken?: string; readonly instanceId: string };
  /** Stream transports served: SSE at /api/v1/stream, WebSocket at /api/v1/ws. */
  readonly transports: readonly ('sse' | 'ws')[];
  /** Event handlers: poll interval, attempts before the dead-letter list, first retry delay (doubling), days succeeded jobs are kept. */
  readonly handlers: { readonly pollMs: number; readonly maxAttempts: number; readonly retryBaseMs: number; readonly jobRetentionDays: number };
  readonly notifications: {
    /** Notifications kept per user; beyond it the oldest archived, then the oldest, are removed. */
    readonly maxPerUser: number;
    /** Per-user limit on notification writes (create, change, bulk, delete), all devices together. */
    /** Time between passes of the expiry (and snooze) worker. */
    readonly expiryIntervalMs: number;
    /** Settled send records of notifications that are gone are removed after this many days (`CHANNEL_DELIVERY_RETENTION_DAYS`). */
    readonly deliveryRetentionDays: number;
  };
  /** `WEBHOOK_*` (see docs/webhooks.md). */
  readonly webhooks: WebhookConfig;
  /** `VAPID_*`, `WEB_PUSH_*` (see docs/notifications.md#web-push). */
  readonly webPush: WebPushConfig;
  /** `CHANNEL_*`, `SMTP_*`, `EMAIL_FROM`, `PUBLIC_URL`: email (and web push) channels (channel-config.ts). */
  readonly channels: ChannelConfig;
  /** Tenant that `POST /api/v1/auth/register` adds users to; unset, self-registration is off (404). */
  readonly selfRegistrationTenantId?: string;
  /** Bring your own login: an external issuer's tokens are accepted beside Pushline's (docs/identity.md). */
  readonly externalAuth?: ExternalAuthConfig;
  /** Browser origins allowed cross-origin requests with credentials (`CORS_ORIGINS`); empty: none. */
  readonly corsOrigins: readonly string[];
  /** Writes per minute per API key, and per tenant (all its keys and users together). */
  readonly writeRateLimits: { readonly perApiKey: number; readonly perTenant: number };
}

export interface ExternalAuthConfig {
  readonly jwksUrl?: string;
  readonly publicKeyPem?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly userClaim: string;
  readonly tenantClaim: string;
  readonly emailClaim: string;
  readonly jwksCooldownMs: number;
}

export class ConfigError extends Error {}

/** Reads the environment once at start-up; every problem is listed by variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const webhooks = loadWebhookConfig(env);
  const webPush = loadWebPushConfig(env);
  const channels = loadChannelConfig(env);
  if (!parsed.success || !webhooks.config || !webPush.config || !channels.config) {
    const problems = [
      ...(parsed.error?.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`) ?? []),
      ...webhooks.problems,
      ...webPush.problems,
      ...channels.problems,
    ].join('\n');
    throw new ConfigError(`invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  const externalAuth = externalAuthOf(e);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: { ...(e.DATABASE_URL && { url: e.DATABASE_URL }), dataDir: e.DATA_DIR },
    // The embedded database is a demo/dev database: seed it unless told not to.
    seedDemo: e.SEED_DEMO ?? !e.DATABASE_URL,
    jwt: { ...(e.JWT_SECRET && { secret: e.JWT_SECRET }), ttlSeconds: e.JWT_TTL_SECONDS },
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === 'production',
    stream: {
      heartbeatMs: e.SSE_HEARTBEAT_MS,
      retryMs: e.SSE_RETRY_MS,
      maxDevicesPerUser: e.STREAM_MAX_DEVICES_PER_USER,
      maxBufferedBytes: e.STREAM_MAX_BUFFERED_BYTES,
      reauthLeadMs: e.STREAM_REAUTH_LEAD_MS,
      maxPendingOpens: e.STREAM_MAX_PENDING_OPENS,
    },
    listenBacklog: e.LISTEN_BACKLOG,
    outboxPollMs: e.OUTBOX_POLL_MS,
    outboxSweepAfterMs: e.OUTBOX_SWEEP_AFTER_MS,
    outboxFastPath: e.OUTBOX_FAST_PATH ?? true,
    writeStatementsInFlight: e.WRITE_STATEMENTS_IN_FLIGHT,
    writeParallelRows: e.WRITE_PARALLEL_ROWS,
    eventBus:
      e.EVENT_BUS === 'redis'
        ? {
            kind: 'redis',
            redis: e.REDIS_CLUSTER_NODES ? { clusterNodes: e.REDIS_CLUSTER_NODES } : { url: e.REDIS_URL },
            keyPrefix: e.REDIS_KEY_PREFIX,
            shards: e.REDIS_STREAM_SHARDS,
            pubSubMode: e.REDIS_PUBSUB ?? (e.REDIS_CLUSTER_NODES ? 'sharded' : 'plain'),
          }
        : { kind: 'memory' },
    retention: { days: e.EVENT_RETENTION_DAYS, intervalMs: e.EVENT_RETENTION_INTERVAL_MS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    // Pretty for a person at a terminal in development; JSON for everything that collects logs.
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' && process.stdout.isTTY ? 'pretty' : 'json'),
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    ops: {
      ...(e.METRICS_TOKEN && { metricsToken: e.METRICS_TOKEN }),
      ...(e.ADMIN_TOKEN && { adminToken: e.ADMIN_TOKEN }),
      instanceId: e.INSTANCE_ID ?? `${hostname()}:${process.pid}`,
    },
    transports: e.TRANSPORTS,
    handlers: { pollMs: e.HANDLER_POLL_MS, maxAttempts: e.HANDLER_MAX_ATTEMPTS, retryBaseMs: e.HANDLER_RETRY_BASE_MS, jobRetentionDays: e.HANDLER_JOB_RETENTION_DAYS },
    notifications: { maxPerUser: e.NOTIFICATIONS_MAX_PER_USER, expiryIntervalMs: e.NOTIFICATION_EXPIRY_INTERVAL_MS, deliveryRetentionDays: e.CHANNEL_DELIVERY_RETENTION_DAYS },
    webhooks: webhooks.config,
    webPush: webPush.config,
    channels: channels.config,
    ...securityConfigOf(e),
    ...(e.SELF_REGISTRATION_TENANT_ID && { selfRegistrationTenantId: e.SELF_REGISTRATION_TENANT_ID }),
    ...(externalAuth && { externalAuth }),
    corsOrigins: securityConfigOf(e).allowedOrigins,
    writeRateLimits: { perApiKey: e.APP_KEY_RATE_LIMIT_PER_MINUTE, perTenant: e.TENANT_WRITE_RATE_LIMIT_PER_MINUTE },
  };
}

function externalAuthOf(e: z.output<typeof EnvSchema>): ExternalAuthConfig | undefined {
  if (!e.AUTH_JWKS_URL && !e.AUTH_PUBLIC_KEY) return undefined;
  const missing = [
    ...(e.AUTH_JWKS_URL && e.AUTH_PUBLIC_KEY ? ['  AUTH_PUBLIC_KEY: give AUTH_JWKS_URL or AUTH_PUBLIC_KEY, not both'] : []),
    ...(['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_TENANT_CLAIM'] as const).filter((name) => !e[name]).map((name) => `  ${name}: required with an external issuer`),
  ];
  if (missing.length > 0) throw new ConfigError(`invalid configuration:\n${missing.join('\n')}`);
  return {
    ...(e.AUTH_JWKS_URL && { jwksUrl: e.AUTH_JWKS_URL }),
    ...(e.AUTH_PUBLIC_KEY && { publicKeyPem: e.AUTH_PUBLIC_KEY }),
    issuer: e.AUTH_ISSUER!,
    audience: e.AUTH_AUDIENCE!,
    userClaim: e.AUTH_USER_CLAIM,
    tenantClaim: e.AUTH_TENANT_CLAIM!,
    emailClaim: e.AUTH_EMAIL_CLAIM,
    jwksCooldownMs: e.AUTH_JWKS_COOLDOWN_MS,
  };
}
