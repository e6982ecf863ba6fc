import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();
const positiveInt = z.coerce.number().int().positive();

const ChannelEnvSchema = z.object({
  CHANNEL_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  CHANNEL_MAX_ATTEMPTS: positiveInt.max(50).default(6),
  CHANNEL_RETRY_BASE_MS: positiveInt.default(5000),
  CHANNEL_POLL_MS: positiveInt.default(5000),
  CHANNEL_WORKER: flag,
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'must be smtp://… or smtps://…')
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: positiveInt.max(65_535).optional(),
  SMTP_SECURE: flag,
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_TIMEOUT_MS: positiveInt.max(300_000).default(30_000),
  EMAIL_FROM: z.string().min(3).default('Pushline <no-reply@localhost>'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export interface EmailConfig {
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  readonly secure?: boolean;
  readonly user?: string;
  readonly pass?: string;
  readonly from: string;
  readonly timeoutMs: number;
}

/** Outbound notification channels (docs/notifications.md#channels). */
export interface ChannelConfig {
  /** Email and web push wait this long; read on a device meanwhile, they are skipped. */
  readonly graceMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly pollMs: number;
  /** Run the channel worker on this instance (default on). */
  readonly worker: boolean;
  /** Off (undefined) while neither `SMTP_URL` nor `SMTP_HOST` is set. */
  readonly email?: EmailConfig;
  /** Base of links in emails (unsubscribe, relative action URLs); default: the address the API listens on. */
  readonly publicUrl?: string;
}

/** The `CHANNEL_*`, `SMTP_*`, `EMAIL_FROM` and `PUBLIC_URL` settings; problems as `VARIABLE: message` lines. */
export function loadChannelConfig(env: NodeJS.ProcessEnv): { config?: ChannelConfig; problems: string[] } {
  const parsed = ChannelEnvSchema.safeParse(env);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  if (e.SMTP_URL && e.SMTP_HOST) return { problems: ['  SMTP_HOST: give SMTP_URL or SMTP_HOST, not both'] };
  const email: EmailConfig | undefined =
    e.SMTP_URL || e.SMTP_HOST
      ? {
          ...(e.SMTP_URL && { url: e.SMTP_URL }),
          ...(e.SMTP_HOST && { host: e.SMTP_HOST }),
          ...(e.SMTP_PORT && { port: e.SMTP_PORT }),
          ...(e.SMTP_SECURE !== undefined && { secure: e.SMTP_SECURE }),
          ...(e.SMTP_USER && { user: e.SMTP_USER }),
          ...(e.SMTP_PASS !== undefined && { pass: e.SMTP_PASS }),
          from: e.EMAIL_FROM,
          timeoutMs: e.SMTP_TIMEOUT_MS,
        }
      : undefined;
  return {
    problems: [],
    config: {
      graceMs: e.CHANNEL_GRACE_MS,
      maxAttempts: e.CHANNEL_MAX_ATTEMPTS,
      retryBaseMs: e.CHANNEL_RETRY_BASE_MS,
      pollMs: e.CHANNEL_POLL_MS,
      worker: e.CHANNEL_WORKER ?? true,
      ...(email && { email }),
      ...(e.PUBLIC_URL && { publicUrl: e.PUBLIC_URL.replace(/\/+$/, '') }),
    },
  };
}
