/** Reconnect delays (the API shape's `reconnect` option). */
export interface ReconnectOptions {
  /** First delay's upper bound. Default 500 ms. */
  readonly initialMs?: number;
  /** Cap of the upper bound. Default 30 s. */
  readonly maxMs?: number;
}

export const DEFAULT_RECONNECT = { initialMs: 500, maxMs: 30_000 } as const;

/**
 * Exponential backoff with full jitter: attempt n waits a uniform random time in
 * [0, min(maxMs, initialMs · 2ⁿ)]. Spreads a fleet of clients reconnecting after one server restart
 * instead of having them return in waves.
 */
export function fullJitterDelay(attempt: number, options: ReconnectOptions = {}, random: () => number = Math.random): number {
  const initialMs = options.initialMs ?? DEFAULT_RECONNECT.initialMs;
  const maxMs = options.maxMs ?? DEFAULT_RECONNECT.maxMs;
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
