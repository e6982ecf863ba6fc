import { parseDuration, ValidationError, WEBHOOK_LIMITS, WebhookRetrySchedule, DEFAULT_WEBHOOK_RETRY_SCHEDULE } from '@pushline/domain';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();
const positiveInt = z.coerce.number().int().positive();
const duration = z.string().transform((raw, ctx) => {
  const ms = parseDuration(raw);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 5m, 24h or 7d' });
  return ms ?? 0;
});

const WebhookEnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  WEBHOOK_ALLOW_HTTP: flag,
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default(DEFAULT_WEBHOOK_RETRY_SCHEDULE)
    .refine((raw) => safeSchedule(raw), 'must be a comma list of delays such as 0,5s,5m,30m,2h'),
  WEBHOOK_TIMEOUT_MS: positiveInt.max(120_000).default(15_000),
  WEBHOOK_CONNECT_TIMEOUT_MS: positiveInt.max(60_000).optional(),
  WEBHOOK_DISABLE_AFTER_FAILURES: positiveInt.default(100),
  WEBHOOK_DISABLE_AFTER_FAILING_FOR: duration.optional(),
  WEBHOOK_SECRET_OVERLAP: duration.default(24 * 3_600_000),
  WEBHOOK_MAX_SUBSCRIPTIONS_PER_APP: positiveInt.default(WEBHOOK_LIMITS.subscriptionsPerApp),
  WEBHOOK_WORKER: flag,
  WEBHOOK_POLL_MS: positiveInt.default(1000),
  WEBHOOK_CONCURRENCY: positiveInt.max(1000).default(32),
});

export interface WebhookConfig {
  /** `WEBHOOK_ALLOWED_HOSTS`: hosts, addresses or CIDRs the SSRF guard lets through. */
  readonly allowedHosts: readonly string[];
  readonly allowHttp: boolean;
  readonly retrySchedule: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs?: number;
  readonly disableAfterFailures: number;
  readonly disableAfterFailingMs?: number;
  readonly secretOverlapMs: number;
  readonly maxSubscriptionsPerApp: number;
  /** Run the delivery worker on this instance (default on). */
  readonly worker: boolean;
  readonly pollMs: number;
  /** Deliveries in flight per instance. */
  readonly concurrency: number;
}

/** The `WEBHOOK_*` settings; problems are returned as `VARIABLE: message` lines, like the rest of the config. */
export function loadWebhookConfig(env: NodeJS.ProcessEnv): { config?: WebhookConfig; problems: string[] } {
  const parsed = WebhookEnvSchema.safeParse(env);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  return {
    problems: [],
    config: {
      allowedHosts: e.WEBHOOK_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean),
      allowHttp: e.WEBHOOK_ALLOW_HTTP ?? e.NODE_ENV !== 'production',
      retrySchedule: e.WEBHOOK_RETRY_SCHEDULE,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      ...(e.WEBHOOK_CONNECT_TIMEOUT_MS && { connectTimeoutMs: e.WEBHOOK_CONNECT_TIMEOUT_MS }),
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
      ...(e.WEBHOOK_DISABLE_AFTER_FAILING_FOR !== undefined && { disableAfterFailingMs: e.WEBHOOK_DISABLE_AFTER_FAILING_FOR }),
      secretOverlapMs: e.WEBHOOK_SECRET_OVERLAP,
      maxSubscriptionsPerApp: e.WEBHOOK_MAX_SUBSCRIPTIONS_PER_APP,
      worker: e.WEBHOOK_WORKER ?? true,
      pollMs: e.WEBHOOK_POLL_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
    },
  };
}

function safeSchedule(raw: string): boolean {
  try {
    WebhookRetrySchedule.parse(raw);
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}
