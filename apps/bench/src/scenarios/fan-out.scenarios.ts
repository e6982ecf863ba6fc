import { slope, withTarget, type Metrics, type Scale } from '../scenario-context.js';
import type { BatchKind, TargetName } from '../targets.js';

/**
 * A. Idle capacity: ramp idle streams in steps until the event loop's p99 delay passes 100 ms,
 * connections fail, or the step limit. Memory per connection is the RSS slope over the ramp.
 */
export async function idleCapacity(name: TargetName, scale: Scale): Promise<Metrics> {
  const max = scale.quick ? 2000 : scale.maxConnections;
  const step = scale.quick ? 1000 : Math.ceil(scale.maxConnections / 6);
  const users = 1000;
  return withTarget(name, { users, devicesPerUser: Math.ceil(max / users) }, async (ctx) => {
    // Unloaded open latency: one at a time, before anything else is open.
    const unloaded = await ctx.open(1, 100);
    await new Promise((r) => setTimeout(r, 500));
    const first = await ctx.target.probe();
    const points: [number, number][] = [[unloaded.opened, first.rssMiB]];
    let opened = unloaded.opened;
    let failed = unloaded.failed;
    let rampMs = 0;
    let loopP99 = 0;
    let heap = first.heapUsedMiB;
    let slowSteps = 0;
    // Server and load-generator CPU over the ramp (with BENCH_CPU_PROF=1, one profile of it; the
    // settling pauses are idle, not busy time).
    ctx.mark();
    while (opened < max) {
      const r = await ctx.open(256, Math.min(step, max - opened));
      opened += r.opened;
      failed += r.failed;
      rampMs += r.elapsedMs;
      await new Promise((res) => setTimeout(res, 1000)); // let the idle connections settle, then read
      const p = await ctx.target.probe();
      points.push([opened, p.rssMiB]);
      heap = p.heapUsedMiB;
      loopP99 = Math.max(loopP99, p.loopDelayP99Ms);
      // Two slow steps in a row, not one: on a shared machine a single step can be unlucky.
      slowSteps = p.loopDelayP99Ms > 100 ? slowSteps + 1 : 0;
      if (r.failed > 0 || slowSteps >= 2) break;
    }
    const cpu = ctx.sample('A-ramp');
    const kibPerConn = slope(points) * 1024;
    return {
      'connections held': opened,
      'failed opens': failed,
      'unloaded open p50 (ms)': unloaded.openMs.p50,
      'opens/s while ramping': (opened - unloaded.opened) / (rampMs / 1000),
      'server CPU per open while ramping (ms)': (1000 * cpu.serverCpuS) / (opened - unloaded.opened),
      'load generator CPU while ramping (cores)': cpu.loadGenCpuS / (rampMs / 1000),
      'memory per idle connection (KiB, RSS slope)': kibPerConn,
      'projected RSS at 50k connections (MiB)': first.rssMiB + (kibPerConn * 50_000) / 1024,
      'event-loop delay p99 while ramping (ms)': loopP99,
      'RSS at the end (MiB)': points.at(-1)![1],
      'heap at the end (MiB)': heap,
    };
  });
}

/**
 * Pushline's batched publishes go through an app's key (the app publish API): the app is installed by
 * every user, and its per-key and per-tenant write limits are lifted so the scenario measures delivery.
 */
const BATCH_PUBLISHER = { publisherApp: true, env: { APP_KEY_RATE_LIMIT_PER_MINUTE: '1000000', TENANT_WRITE_RATE_LIMIT_PER_MINUTE: '1000000' } } as const;

/**
 * B. Fan-out: open-loop publishing at rising rates; the highest rate with ≥ 99.9 % delivered and
 * p99 < 250 ms wins. Server CPU per million deliveries is taken at every rate, reported at the best.
 */
export async function fanOut(name: TargetName, scale: Scale, users: number, devicesPerUser: number, batch = 1, kind: BatchKind = 'notifications'): Promise<Metrics> {
  // Batched publishes reach higher rates: the ramp goes on to where the peers stop too.
  const rates =
    batch > 1 ? (scale.quick ? [1000, 5000] : [500, 1000, 1500, 2000, 3000, 5000, 10_000, 20_000]) : scale.quick ? [200, 1000] : [100, 200, 500, 1000, 2000, 3000, 5000];
  const publisher = batch > 1 ? BATCH_PUBLISHER : {};
  return withTarget(name, { users, devicesPerUser, ...publisher }, async (ctx) => {
    const publish = (rate: number, seconds: number) => (batch > 1 ? ctx.publishBatched(rate, seconds, batch, undefined, kind) : ctx.publish(rate, seconds));
    const open = await ctx.open();
    await publish(50, 1); // warm-up
    let best = 0;
    let bestCpu = Number.NaN;
    let p99AtBest = Number.NaN;
    let cpuPerEventAt200 = Number.NaN;
    let loadGenCpu = 0;
    for (const rate of rates) {
      ctx.mark();
      const r = await publish(rate, scale.stepSeconds);
      const s = ctx.sample(`B${batch > 1 ? `-batch${batch}${kind === 'events' ? '-events' : ''}` : ''}-${rate}`);
      loadGenCpu = Math.max(loadGenCpu, s.loadGenCpuS / s.wallS);
      if (rate === 200) cpuPerEventAt200 = (s.serverCpuS / r.accepted) * 1e6;
      const ok = r.expected > 0 && r.delivered / (r.scheduled * devicesPerUser) >= 0.999 && r.latency.p99 < 250;
      // Each step on stderr: why a ramp stopped (loss, latency or refused publishes) is in the log.
      console.error(
        `    ${name} ${rate}/s: ${((100 * r.delivered) / Math.max(1, r.scheduled * devicesPerUser)).toFixed(2)} % delivered, p99 ${r.latency.p99.toFixed(1)} ms, statuses ${JSON.stringify(r.statuses)}, server ${(s.serverCpuS / s.wallS).toFixed(2)} cores`,
      );
      if (!ok) break;
      best = rate;
      bestCpu = s.serverCpuS / (r.delivered / 1e6);
      p99AtBest = r.latency.p99;
    }
    return {
      'streams open': open.opened,
      'highest passing rate (events/s)': best,
      'deliveries/s at that rate': best * devicesPerUser,
      'p99 at that rate (ms)': p99AtBest,
      'server CPU-s per million deliveries': bestCpu,
      'server CPU per event at 200/s (µs)': cpuPerEventAt200,
      'load generator CPU (cores, max step)': loadGenCpu,
    };
  });
}

/** C. Latency at steady load: many streams, a modest fixed rate, publish → device percentiles. */
export async function steadyLatency(name: TargetName, scale: Scale): Promise<Metrics> {
  const users = scale.quick ? 200 : Math.floor(Math.min(10_000, scale.maxConnections) / 5);
  return withTarget(name, { users, devicesPerUser: 5, probes: 200 }, async (ctx) => {
    const open = await ctx.open();
    await ctx.publish(50, 1);
    await ctx.target.probe(); // resets the event-loop delay histogram: the next probe covers the window
    ctx.mark();
    const r = await ctx.publish(100, scale.quick ? 3 : 10);
    const s = ctx.sample("C");
    const p = await ctx.target.probe();
    return {
      'streams open': open.opened,
      'delivered (%)': (100 * r.delivered) / Math.max(1, r.expected),
      'latency p50 (ms)': r.latency.p50,
      'latency p99 (ms)': r.latency.p99,
      'latency p99.9 (ms)': r.latency.p999,
      'server CPU (cores)': s.serverCpuS / s.wallS,
      'server event-loop delay p99 (ms)': p.loopDelayP99Ms,
      'server event-loop delay max (ms)': p.loopDelayMaxMs,
      'server RSS (MiB)': p.rssMiB,
      'server heap (MiB)': p.heapUsedMiB,
    };
  });
}
