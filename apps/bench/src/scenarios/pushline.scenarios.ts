import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { withTarget, type Metrics, type Scale } from '../scenario-context.js';
import { PAYLOAD_BODY, type TargetName } from '../targets.js';

const closedLoop = async (inFlight: number, seconds: number, once: (worker: number) => Promise<void>): Promise<number> => {
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, w) => {
      while (performance.now() < end) {
        await once(w);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
};

/**
 * The raw `pg` baseline of the write path: the same rows a create writes (the notification, the
 * cursor bump, the stream entry with its envelope, and its outbox row where the schema has the
 * `stream_outbox` table, decision 61) in one statement.
 */
const rawCreate = (outboxTable: boolean) => `
  WITH n AS (
    INSERT INTO notifications (id, tenant_id, user_id, title, body, priority, category, source, data, created_at, updated_at)
    SELECT $1, u.tenant_id, u.id, $3, $4, 'normal', 'general', 'user', $5::jsonb, now(), now() FROM users u WHERE u.id = $2
    RETURNING tenant_id, user_id
  ), c AS (
    INSERT INTO user_streams (user_id, head_cursor) SELECT user_id, 1 FROM n
    ON CONFLICT (user_id) DO UPDATE SET head_cursor = user_streams.head_cursor + 1 RETURNING user_id, head_cursor
  )
  ${outboxTable ? ', s AS (' : ''}
  INSERT INTO stream_events (tenant_id, user_id, cursor, event_id, type, envelope)
  SELECT n.tenant_id, c.user_id, c.head_cursor, $6, 'notification.created', $7::jsonb FROM c JOIN n USING (user_id)
  ${outboxTable ? 'RETURNING seq) INSERT INTO stream_outbox (seq) SELECT seq FROM s' : ''}`;

/** D. The write path: notifications created per second, 32 in flight, API vs raw `pg`, same database. */
export async function writePath(name: TargetName, scale: Scale): Promise<Metrics> {
  const users = 64;
  const seconds = scale.quick ? 3 : 10;
  // The per-user write limit (120/min by default) would refuse a fast build's creates: D measures capacity.
  return withTarget(name, { users, devicesPerUser: 1, env: { WRITE_RATE_LIMIT_PER_MINUTE: '1000000' } }, async (ctx) => {
    const url = ctx.target.databaseUrl;
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const { host, port, path, headers } = ctx.target.publish;
    const body = JSON.stringify({ title: 'Your order shipped', body: PAYLOAD_BODY, data: { orderId: 'o-42' } });
    const post = (w: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = request({ host, port, path, method: 'POST', agent, headers: { ...headers[w % users], 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`create answered ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    await closedLoop(32, 1, post); // warm-up
    ctx.mark();
    const api = await closedLoop(32, seconds, post);
    const s = ctx.sample("D");
    agent.destroy();
    let raw = Number.NaN;
    if (url) {
      // As many connections as the API's pool (10, its default): the same share of PostgreSQL.
      const pool = new pg.Pool({ connectionString: url, max: 10 });
      pool.on('error', () => {}); // an idle connection cut by a neighbour must not end the harness
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM users ORDER BY id LIMIT 64');
      // A `--before` build older than decision 61 keeps its outbox in stream_events.published_at.
      const outboxTable = (await pool.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'stream_outbox'`)).rowCount === 1;
      const statement = rawCreate(outboxTable);
      const insert = async (w: number): Promise<void> => {
        const userId = rows[w % rows.length]!.id;
        const id = randomUUID();
        const envelope = { specversion: '1.0', id: randomUUID(), source: '/pushline/api', type: 'notification.created', time: new Date().toISOString(), data: { notificationId: id, userId, title: 'Your order shipped', body: PAYLOAD_BODY } };
        await pool.query(statement, [id, userId, 'Your order shipped', PAYLOAD_BODY, JSON.stringify({ orderId: 'o-42' }), envelope.id, JSON.stringify(envelope)]);
      };
      await closedLoop(32, 1, insert);
      raw = await closedLoop(32, seconds, insert);
      await pool.end();
    }
    return {
      'API creates/s (32 in flight)': api,
      'raw pg creates/s, one statement (32 in flight, 10 connections)': raw,
      'API ÷ raw pg': api / raw,
      'API server CPU per create (µs)': (s.serverCpuS / (api * s.wallS)) * 1e6,
    };
  });
}

/**
 * E. Reconnect storm: every device drops, events are published while they are away, all reconnect at
 * once with Last-Event-ID. Peers have no replay: only their reconnect time is comparable.
 */
export async function reconnectStorm(name: TargetName, scale: Scale): Promise<Metrics> {
  const users = scale.quick ? 400 : 1000;
  return withTarget(name, { users, devicesPerUser: 5 }, async (ctx) => {
    const open = await ctx.open();
    await ctx.publish(100, 2);
    await ctx.target.probe(); // resets the event-loop delay histogram: the next probe covers the storm
    ctx.mark();
    const r = await ctx.load.send({ op: 'storm', wire: ctx.target.publish, gapEvents: 500, retryMs: 1000, timeoutMs: scale.quick ? 60_000 : 120_000, replays: name.startsWith('pushline') });
    const s = ctx.sample("E");
    const during = await ctx.target.probe();
    return {
      'streams': open.opened,
      'all reconnected (ms)': r.reconnectMs,
      'all caught up (ms)': name.startsWith('pushline') ? r.caughtUpMs : Number.NaN,
      'reconnects/s': r.opensPerSec,
      'failed reconnects (final answer)': r.failedReconnects,
      'retried reconnects': r.retries,
      // Ids a device never got. For Pushline these are superseded `notification.counts` (latest-wins: a
      // device that replays gets only the newest), by design; losses of must-deliver events are what the
      // fault tests check. "not caught up" is what would show a device left without its events.
      'skipped ids (latest-wins on replay)': name.startsWith('pushline') ? r.gaps : Number.NaN,
      'devices not caught up at the end': name.startsWith('pushline') ? r.notCaughtUp : Number.NaN,
      'duplicates': name.startsWith('pushline') ? r.duplicates : Number.NaN,
      'server CPU-s for the storm': s.serverCpuS,
      'event-loop delay p99 during the storm (ms)': during.loopDelayP99Ms,
    };
  });
}

/**
 * About `bytes` more per event. Pushline caps a notification's body at 1,000 characters (a longer
 * one is a 400, nothing delivered), so there the rest goes into `data`.
 */
function withPadding(template: string, bytes: number): string {
  if (!template.includes('"data":{')) return template.replace(PAYLOAD_BODY, 'x'.repeat(bytes));
  return template.replace(PAYLOAD_BODY, 'x'.repeat(900)).replace('"data":{', `"data":{"pad":"${'x'.repeat(bytes - 900)}",`);
}

/** `pushline_stream_slow_consumers_dropped_total` from the instance's /metrics. */
async function slowConsumersDropped(wire: { host: string; port: number }): Promise<number> {
  const text = await (await fetch(`http://${wire.host}:${wire.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('pushline_stream_slow_consumers_dropped_total'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/**
 * F. Slow consumers: 1 % of the sockets stop reading while large events flow; memory must stay bounded
 * and the buffer policy must act. The events go to the users of the paused streams and to the probes'
 * user, whose devices all read: 30 events/s of 8 KB to each, ~270 KB/s per paused stream, for 40 s,
 * more than a loopback socket's kernel buffers take. What the server then still holds for a paused
 * stream (the probe's `queuedMiB`) is what its policy bounds: bare keeps every frame, Pushline holds
 * entries back and reads them from the log after `drain`.
 */
export async function slowConsumers(name: TargetName, scale: Scale): Promise<Metrics> {
  const users = 10;
  return withTarget(name, { users, devicesPerUser: 200, probes: 40 }, async (ctx) => {
    const open = await ctx.open();
    const before = await ctx.target.probe();
    const paused = await ctx.load.send<{ paused: number; users: number[] }>({ op: 'pause', fraction: 0.01 });
    // Probes are every 50th device: all of them user 0's, none paused.
    const toUsers = [...new Set([0, ...paused.users])];
    const big = { ...ctx.target.publish, bodyTemplate: withPadding(ctx.target.publish.bodyTemplate, 7900) };
    let peak = before.rssMiB;
    const seconds = scale.quick ? 6 : 40;
    const sampler = setInterval(() => (peak = Math.max(peak, ctx.target.rssMiB())), 250);
    const r = await ctx.load.send({ op: 'publish', wire: big, rate: 30 * toUsers.length, durationMs: seconds * 1000, settleMs: 2000, toUsers });
    clearInterval(sampler);
    // The readers have drained by now; what is still queued in the process is the paused streams'.
    const after = await ctx.target.probe();
    // A paused client never reads the server's close (it sits behind the unread bytes), so the cut
    // streams are counted by the server: Pushline's metric. The peers have no buffer policy.
    const cut = name.startsWith('pushline') ? await slowConsumersDropped(ctx.target.wires[0]!) : Number.NaN;
    return {
      'streams': open.opened,
      'paused (slow) streams': paused.paused,
      'slow streams cut by the server (its metric)': cut,
      'RSS before (MiB)': before.rssMiB,
      'RSS peak (MiB)': peak,
      'heap after (MiB)': after.heapUsedMiB,
      'queued in the process per paused stream at the end (KiB)': (after.queuedMiB * 1024) / Math.max(1, paused.paused),
      'healthy streams latency p99 (ms)': r.latency.p99,
    };
  });
}

/**
 * G. Many instances through Redis: throughput against one instance and the Redis hop's latency. The
 * hop is measured with every create on instance 0 (so devices on the others are "remote"), at a rate
 * far below what the write path sustains, so queueing does not swamp the millisecond it is about.
 * The throughput ramp spreads the creates over every instance, as a load balancer would.
 */
/** Creates/s, spread over the instances, that warm each one up before G measures it. */
const WARM_UP_RATE = 200;
/** G's step at which it reports CPU per event: one that 1, 2 and 4 instances all pass. */
const CPU_PER_EVENT_RATE = 100;

export async function manyInstances(instances: number, scale: Scale, target: 'pushline' | 'pushline-before' = 'pushline'): Promise<Metrics> {
  const hopRate = 5;
  const rates = scale.quick ? [10, 20, 50, 100] : [10, 20, 50, 100, 200, 500, 1000];
  const users = 500;
  return withTarget(target, { users, devicesPerUser: 4, instances, probes: 200, ...(instances === 1 && { env: { EVENT_BUS: 'redis' } }) }, async (ctx) => {
    await ctx.open();
    await ctx.publish(5, 1);
    // Every instance is a fresh process: until V8 has compiled the create and delivery paths, the
    // same work costs several times the CPU (a perf capture at 200/s was mostly TurboFan and inline
    // cache misses), and four cold processes measure their JIT, not their steady state.
    await ctx.publishSpread(WARM_UP_RATE, scale.quick ? 5 : 20);
    const quiet = await ctx.publish(hopRate, Math.max(4, scale.stepSeconds * 2));
    const local = quiet.local.p50;
    const hop = quiet.remote.n > 0 ? quiet.remote.p50 - quiet.local.p50 : Number.NaN;
    let best = 0;
    let p99AtBest = Number.NaN;
    let cpuPerEvent = Number.NaN;
    // Throughput with the creates spread over every instance: what more instances buy is their share
    // of the write path and of the relay, not only of the streams.
    for (const rate of rates) {
      ctx.mark();
      const r = await ctx.publishSpread(rate, scale.stepSeconds);
      // What one more instance costs, at a rate every count passes: all instances' CPU per create and
      // its four deliveries (the step's window includes its settle time, the same for every count).
      if (rate === CPU_PER_EVENT_RATE) cpuPerEvent = (ctx.sample(`G-${instances}-${rate}`).serverCpuS / r.accepted) * 1e6;
      if (!(r.delivered / (r.scheduled * 4) >= 0.999 && r.latency.p99 < 250)) break;
      best = rate;
      p99AtBest = r.latency.p99;
    }
    return {
      'highest passing rate (events/s)': best,
      'deliveries/s': best * 4,
      'p99 at that rate (ms)': p99AtBest,
      [`server CPU per event at ${CPU_PER_EVENT_RATE}/s (µs, all instances)`]: cpuPerEvent,
      [`p50 same instance at ${hopRate}/s (ms)`]: local,
      [`p50 other instances at ${hopRate}/s (ms)`]: quiet.remote.n > 0 ? quiet.remote.p50 : Number.NaN,
      'Redis hop added p50 (ms)': hop,
      'server CPU (all instances, CPU-s)': ctx.target.cpuSeconds(),
    };
  });
}
