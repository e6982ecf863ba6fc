import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { renderScenario, writeResults, type ScenarioResult } from './report.js';
import type { Metrics, Scale } from './scenario-context.js';
import { fanOut, idleCapacity, steadyLatency } from './scenarios/fan-out.scenarios.js';
import { manyInstances, reconnectStorm, slowConsumers, writePath } from './scenarios/pushline.scenarios.js';
import { PEERS, type TargetName } from './targets.js';

/**
 * Pushline against its peers, in the same run: each scenario runs every target in turn, in fresh
 * processes, `reps` times over (alternating, so drift on a shared machine hits all alike).
 *
 *   npm run bench                      quick mode: A, B, C at small scale, one repetition
 *   npm run bench -- --full            every scenario, full scale, three repetitions, writes docs/benchmarks.md
 *   npm run bench -- --full --only B,E --reps 5 --before f64677c --max-connections 10000 --step-seconds 3
 */
const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    write: { type: 'boolean' },
    peers: { type: 'string' },
    'max-connections': { type: 'string' },
    'step-seconds': { type: 'string' },
  },
});
const full = values.full;
const scale: Scale = {
  quick: !full,
  stepSeconds: Number(values['step-seconds'] ?? (full ? 5 : 2)),
  maxConnections: Number(values['max-connections'] ?? 18_000),
};
const reps = Number(values.reps ?? (full ? 3 : 1));
const only = new Set((values.only ?? (full ? 'A,B,BB,C,D,E,F,G' : 'A,B,C')).split(','));
const before = process.env.BENCH_BEFORE_DIR ? (['pushline-before'] as TargetName[]) : [];
const peers = values.peers ? (values.peers.split(',') as TargetName[]) : [...PEERS];
const all: TargetName[] = [...peers, ...before, 'pushline'];

// The shapes (1,000 × 5 and 10,000 × 1), smaller when --max-connections is.
const fiveDeviceUsers = full ? Math.floor(Math.min(5000, scale.maxConnections) / 5) : 1000;
const oneDeviceUsers = Math.min(10_000, scale.maxConnections);

/**
 * BB: a server-side publisher at high rates sends several events per request (Pushline's app publish
 * API takes up to 1,000 users); 20 keeps the wait for a full batch at 1 to 40 ms over BB's ramp.
 */
const PUBLISH_BATCH = 20;

interface Scenario {
  readonly key: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly run: (column: string) => Promise<Metrics>;
  /** Fewer repetitions for the slowest scenarios, to keep a full run within bounds. */
  readonly reps?: number;
}

const scenarios: Scenario[] = [
  { key: 'A', title: 'A. Idle capacity (ramp of idle SSE streams)', columns: all, run: (t) => idleCapacity(t as TargetName, scale) },
  { key: 'B', title: `B. Fan-out, ${fiveDeviceUsers.toLocaleString('en-US')} users × 5 devices`, columns: all, run: (t) => fanOut(t as TargetName, scale, fiveDeviceUsers, 5) },
  ...(full ? [{ key: 'B', title: `B. Fan-out, ${oneDeviceUsers.toLocaleString('en-US')} users × 1 device`, columns: all, run: (t: string) => fanOut(t as TargetName, scale, oneDeviceUsers, 1), reps: 1 }] : []),
  {
    key: 'BB',
    title: `B. Fan-out, ${fiveDeviceUsers.toLocaleString('en-US')} users × 5 devices, ${PUBLISH_BATCH} events (users) per publish request`,
    columns: all,
    run: (t) => fanOut(t as TargetName, scale, fiveDeviceUsers, 5, PUBLISH_BATCH),
  },
  {
    // The same fan-out without the notification center: one app event per request to its 20 users,
    // stored in each user's stream (replayable) but with no inbox row, counter or badge frame. What the
    // peers send is this: one message to several users.
    key: 'BE',
    title: `B. Fan-out, ${fiveDeviceUsers.toLocaleString('en-US')} users × 5 devices, one app event to ${PUBLISH_BATCH} users per publish request`,
    columns: all,
    run: (t) => fanOut(t as TargetName, scale, fiveDeviceUsers, 5, PUBLISH_BATCH, 'events'),
  },
  { key: 'C', title: `C. Latency at steady load, ${full ? Math.floor(Math.min(10_000, scale.maxConnections) / 5) * 5 : 1000} streams, 100 events/s`, columns: all, run: (t) => steadyLatency(t as TargetName, scale) },
  { key: 'D', title: 'D. The write path, 32 creates in flight (PostgreSQL)', columns: [...before, 'pushline'], run: (t) => writePath(t as TargetName, scale) },
  { key: 'E', title: 'E. Reconnect storm with Last-Event-ID, 500 events during the gap', columns: ['bare-http', ...before, 'pushline'], run: (t) => reconnectStorm(t as TargetName, scale) },
  { key: 'F', title: 'F. Slow consumers: 1 % of 2,000 streams stop reading, 30 events/s of 8 KB to each of their users for 40 s', columns: ['bare-http', ...before, 'pushline'], run: (t) => slowConsumers(t as TargetName, scale), reps: 1 },
  {
    key: 'G',
    title: 'G. Many instances through Redis, 500 users × 4 devices spread over the instances',
    // With --before, the largest count again on the base build: what a change did to scaling, in one run.
    columns: [...(full ? ['1 instance', '2 instances', '4 instances'] : ['1 instance', '2 instances']), ...(before.length ? [full ? '4 instances, before' : '2 instances, before'] : [])],
    run: (c) => manyInstances(Number(c[0]), scale, c.endsWith('before') ? 'pushline-before' : 'pushline'),
    reps: 1,
  },
];

async function main(): Promise<void> {
  const started = Date.now();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios.filter((s) => only.has(s.key))) {
    const columns = new Map<string, Metrics[]>(scenario.columns.map((c) => [c, []]));
    const times = Math.min(reps, scenario.reps ?? reps);
    for (let rep = 0; rep < times; rep++) {
      for (const column of scenario.columns) {
        const t0 = Date.now();
        try {
          columns.get(column)!.push(await scenario.run(column));
        } catch (error) {
          console.error(`  ${scenario.key} ${column} failed:`, (error as Error).message);
        }
        console.error(`  ${scenario.title} · ${column} · rep ${rep + 1}/${times}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      }
    }
    const result = { title: scenario.title, columns };
    results.push(result);
    console.log(`\n${renderScenario(result)}`);
  }
  const header = [
    `Run ${new Date().toISOString().slice(0, 16)} UTC, ${full ? 'full' : 'quick'} mode, ${cpus().length} cores shared by the servers, PostgreSQL, Redis and the load generator`,
    `(and, on the project machine, other work). Took ${((Date.now() - started) / 60_000).toFixed(1)} min.`,
    before.length ? `\`pushline-before\` is the build of the base commit (${process.env.BENCH_BEFORE_REF ?? 'before'}), \`pushline\` this one.` : '',
  ].join(' ');
  mkdirSync('tmp/bench', { recursive: true });
  writeFileSync(`tmp/bench/results-${full ? 'full' : 'quick'}.json`, JSON.stringify(results.map((r) => ({ title: r.title, columns: Object.fromEntries(r.columns) })), null, 2));
  if (values.write ?? full) writeResults('docs/benchmarks.md', header, results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
