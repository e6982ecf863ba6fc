import { ValidationError } from '../shared/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `0`, `500ms`, `5s`, `5m`, `2h`, `1d` → milliseconds; undefined when malformed. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
}

/** The default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (Svix's schedule). */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '0,5s,5m,30m,2h,5h,10h,10h';

/** Longest a `Retry-After` may push an attempt out; beyond it the receiver is treated as failing. */
const RETRY_AFTER_MAX_MS = 24 * 3_600_000;

/**
 * When each attempt of a delivery is made: entry `i` is the wait before attempt `i + 1` (so the first
 * entry is the wait after the event, normally 0). Waits after the first get a random jitter of up to
 * ±`jitterRatio`, so receivers that failed together are not retried together.
 */
export class WebhookRetrySchedule {
  private constructor(
    readonly delaysMs: readonly number[],
    private readonly jitterRatio: number,
  ) {}

  static parse(raw: string = DEFAULT_WEBHOOK_RETRY_SCHEDULE, jitterRatio = 0.1): WebhookRetrySchedule {
    const delays = raw.split(',').map((part) => parseDuration(part));
    if (delays.length === 0 || delays.some((d) => d === undefined)) {
      throw new ValidationError('WEBHOOK_RETRY_SCHEDULE', 'must be a comma list of delays such as 0,5s,5m,30m,2h');
    }
    return new WebhookRetrySchedule(delays as number[], jitterRatio);
  }

  get maxAttempts(): number {
    return this.delaysMs.length;
  }

  /**
   * Wait before the attempt after `attemptsMade` attempts failed, or undefined when none is left.
   * `retryAfterMs` (a 429/503's `Retry-After`) is honoured: the wait is at least that long.
   */
  delayAfter(attemptsMade: number, random: () => number, retryAfterMs?: number): number | undefined {
    const base = this.delaysMs[attemptsMade];
    if (base === undefined) return undefined;
    const jittered = Math.round(base * (1 + this.jitterRatio * (2 * random() - 1)));
    if (retryAfterMs === undefined) return jittered;
    if (retryAfterMs > RETRY_AFTER_MAX_MS) return undefined;
    return Math.max(jittered, retryAfterMs);
  }
}
