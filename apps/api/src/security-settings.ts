import { isIP } from 'node:net';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** express `trust proxy`: false (default), a hop count, or named ranges / addresses / CIDRs. */
export type TrustProxy = false | number | readonly string[];

const trustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx): TrustProxy => {
    const value = raw.trim();
    if (value === '' || value === 'false' || value === '0') return false;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
    const bad = entries.find((e) => !PROXY_NAMES.has(e) && !isAddressOrCidr(e));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not loopback, linklocal, uniquelocal, an IP address, a CIDR or a hop count` });
      return z.NEVER;
    }
    return entries;
  });

const origins = z
  .string()
  .default('')
  .transform((raw, ctx): readonly string[] => {
    const list = raw.split(',').map((e) => e.trim().replace(/\/$/, '')).filter(Boolean);
    const bad = list.find((o) => !isOrigin(o));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not an origin like https://app.example.com` });
      return z.NEVER;
    }
    return list;
  });

/** The hardening settings (issue #9), validated with the rest of the environment. */
export const SecurityEnvSchema = z.object({
  SESSION_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  SESSION_IDLE_TTL_SECONDS: positiveInt.default(7 * 24 * 3600),
  CORS_ORIGINS: origins,
  TRUST_PROXY: trustProxy,
  HEADERS_TIMEOUT_MS: positiveInt.min(100).default(10_000),
  REQUEST_TIMEOUT_MS: positiveInt.min(100).default(30_000),
  MAX_UNAUTHENTICATED_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).default(100),
  WRITE_RATE_LIMIT_PER_MINUTE: positiveInt.default(120),
  LOGIN_ACCOUNT_FAILURES_PER_HOUR: positiveInt.default(20),
});

export interface SecurityConfig {
  /** Login sessions: absolute lifetime from login, and the longest time without login or refresh. */
  readonly sessions: { readonly absoluteSeconds: number; readonly idleSeconds: number };
  /** Origins besides the API's own that may open the WebSocket and send cookie-authenticated writes. */
  readonly allowedOrigins: readonly string[];
  readonly trustProxy: TrustProxy;
  /** Time to receive a request's headers, and its whole body; neither ever cuts an open stream. */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Concurrent connections per client address that have not authenticated yet; 0 turns the cap off. */
  readonly maxUnauthenticatedConnectionsPerIp: number;
  readonly rateLimits: { readonly writesPerUserPerMinute: number; readonly loginFailuresPerAccountPerHour: number };
}

export function securityConfigOf(e: z.output<typeof SecurityEnvSchema>): SecurityConfig {
  return {
    sessions: { absoluteSeconds: e.SESSION_TTL_SECONDS, idleSeconds: e.SESSION_IDLE_TTL_SECONDS },
    allowedOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    maxUnauthenticatedConnectionsPerIp: e.MAX_UNAUTHENTICATED_CONNECTIONS_PER_IP,
    rateLimits: { writesPerUserPerMinute: e.WRITE_RATE_LIMIT_PER_MINUTE, loginFailuresPerAccountPerHour: e.LOGIN_ACCOUNT_FAILURES_PER_HOUR },
  };
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (version === 4 ? 32 : 128);
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
