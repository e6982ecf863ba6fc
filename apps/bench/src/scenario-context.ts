import { mkdirSync } from 'node:fs';
import { LoadGeneratorClient } from './load/load-generator-client.js';
import { startTarget, type BatchKind, type RunningTarget, type TargetName, type TargetOptions } from './targets.js';

/**
 * Loopback source addresses, so tens of thousands of connections do not run out of ports, and so a
 * reconnect storm looks like many clients, not a few NATs: Pushline caps connections not yet
 * authenticated at 100 per address (`MAX_UNAUTHENTICATED_CONNECTIONS_PER_IP`), and with 8 addresses
 * 2,000 devices reconnecting at once got final 429s from that cap rather than a measure of the server.
 */
export const SOURCES = Array.from({ length: 64 }, (_, i) => `127.0.0.${i + 2}`);

const PROFILING = process.env.BENCH_CPU_PROF === '1';

export type Metrics = Record<string, number>;

export interface Scale {
  readonly quick: boolean;
  /** Seconds each publishing step lasts. */
  readonly stepSeconds: number;
  /** Full mode: most idle streams in A, and streams in C (the 18,000 and 10,000). */
  readonly maxConnections: number;
}

/** Figures about the measuring side: a load generator near its limit makes the result suspect. */
export interface Sample {
  readonly serverCpuS: number;
  readonly loadGenCpuS: number;
  readonly wallS: number;
}

export class ScenarioContext {
  private cpuServer0 = 0;
  private cpuLoad0 = 0;
  private wall0 = 0;
  private windows = 0;

  constructor(
    readonly target: RunningTarget,
    readonly load: LoadGeneratorClient,
    readonly devices: number,
  ) {}

  /**
   * Starts a CPU/wall window; `sample()` ends it. With BENCH_CPU_PROF=1 the server's CPU profile of
   * the window is written to tmp/bench/profiles/ (summarise it with profile-summary.js).
   */
  mark(): void {
    if (PROFILING) this.target.profile('start');
    this.cpuServer0 = this.target.cpuSeconds();
    this.cpuLoad0 = this.load.cpuSeconds();
    this.wall0 = performance.now();
  }

  sample(label = 'window'): Sample {
    if (PROFILING) {
      mkdirSync('tmp/bench/profiles', { recursive: true });
      this.target.profile(`tmp/bench/profiles/${this.target.name}-${label}-${this.target.pids[0]}-${this.windows++}.cpuprofile`);
    }
    return { serverCpuS: this.target.cpuSeconds() - this.cpuServer0, loadGenCpuS: this.load.cpuSeconds() - this.cpuLoad0, wallS: (performance.now() - this.wall0) / 1000 };
  }

  /** Opens every device not yet open, `concurrency` at a time. */
  open(concurrency = 256, limit?: number) {
    return this.load.send<{ opened: number; failed: number; statuses: Record<string, number>; elapsedMs: number; opensPerSec: number; openMs: { p50: number } }>({
      op: 'open',
      concurrency,
      ...(limit !== undefined && { limit }),
    });
  }

  publish(rate: number, seconds: number, settleMs = 3000) {
    return this.load.send<PublishOutcome>({ op: 'publish', wire: this.target.publish, rate, durationMs: seconds * 1000, settleMs });
  }

  /** As publish, `size` events (one per user) in each request. */
  publishBatched(rate: number, seconds: number, size: number, settleMs = 3000, kind: BatchKind = 'notifications') {
    return this.load.send<PublishOutcome>({ op: 'publish', wire: this.target.batchPublish(size, kind), rate, durationMs: seconds * 1000, settleMs });
  }

  /** As publish, with the creates spread round-robin over every instance of the target. */
  publishSpread(rate: number, seconds: number, settleMs = 3000) {
    const wire = { ...this.target.publish, ports: this.target.wires.map((w) => w.port) };
    return this.load.send<PublishOutcome>({ op: 'publish', wire, rate, durationMs: seconds * 1000, settleMs });
  }
}

export interface PublishOutcome {
  readonly scheduled: number;
  readonly accepted: number;
  readonly failed: number;
  readonly expected: number;
  readonly delivered: number;
  readonly lagMs: number;
  readonly loadGenLoopP99: number;
  readonly latency: { n: number; p50: number; p99: number; p999: number; max: number };
  readonly local: { p50: number; p99: number; n: number };
  readonly remote: { p50: number; p99: number; n: number };
  readonly statuses: Record<string, number>;
}

/** A fresh server (and load generator) for one measurement; both are stopped whatever happens. */
export async function withTarget<T>(
  name: TargetName,
  options: TargetOptions & { probes?: number },
  run: (ctx: ScenarioContext) => Promise<T>,
): Promise<T> {
  const target = await startTarget(name, options);
  const load = new LoadGeneratorClient();
  try {
    await load.send({ op: 'init', wires: target.wires, sources: SOURCES, users: options.users, devicesPerUser: options.devicesPerUser, probes: options.probes ?? 100 });
    return await run(new ScenarioContext(target, load, options.users * options.devicesPerUser));
  } finally {
    await load.stop();
    await target.stop();
  }
}

/** Least-squares slope of y over x. */
export function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return num / den;
}
