import { vapidProblems } from '@pushline/channel-web-push';
import { PUSH_LIMITS } from '@pushline/domain';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();
const positiveInt = z.coerce.number().int().positive();

const WebPushEnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  VAPID_SUBJECT: z.string().min(1).optional(),
  WEB_PUSH_ALLOW_HTTP: flag,
  WEB_PUSH_ALLOWED_HOSTS: z.string().default(''),
  WEB_PUSH_MAX_SUBSCRIPTIONS_PER_USER: positiveInt.max(1000).default(PUSH_LIMITS.subscriptionsPerUser),
  WEB_PUSH_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
});

export interface WebPushConfig {
  /** All three VAPID_* settings, or undefined: then a development pair is used, or web push is off in production. */
  readonly vapid?: { readonly subject: string; readonly publicKey: string; readonly privateKey: string };
  /** `WEB_PUSH_ALLOW_HTTP`: accept http endpoints (default: not in production). */
  readonly allowHttp: boolean;
  /** `WEB_PUSH_ALLOWED_HOSTS`: hosts, addresses or CIDRs the SSRF guard lets through (a loopback push service in tests). */
  readonly allowedHosts: readonly string[];
  readonly maxSubscriptionsPerUser: number;
  readonly timeoutMs: number;
}

/** The `VAPID_*` and `WEB_PUSH_*` settings; problems come back as `VARIABLE: message` lines. */
export function loadWebPushConfig(env: NodeJS.ProcessEnv): { config?: WebPushConfig; problems: string[] } {
  const parsed = WebPushEnvSchema.safeParse(env);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  const given = [e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY, e.VAPID_SUBJECT].filter(Boolean).length;
  if (given > 0 && given < 3) {
    return { problems: ['  VAPID_PUBLIC_KEY: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together (or none)'] };
  }
  const vapid = given === 3 ? { subject: e.VAPID_SUBJECT!, publicKey: e.VAPID_PUBLIC_KEY!, privateKey: e.VAPID_PRIVATE_KEY! } : undefined;
  const problems = vapid ? vapidProblems(vapid).map((p) => `  ${p}`) : [];
  if (problems.length > 0) return { problems };
  return {
    problems: [],
    config: {
      ...(vapid && { vapid }),
      allowHttp: e.WEB_PUSH_ALLOW_HTTP ?? e.NODE_ENV !== 'production',
      allowedHosts: e.WEB_PUSH_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean),
      maxSubscriptionsPerUser: e.WEB_PUSH_MAX_SUBSCRIPTIONS_PER_USER,
      timeoutMs: e.WEB_PUSH_TIMEOUT_MS,
    },
  };
}
