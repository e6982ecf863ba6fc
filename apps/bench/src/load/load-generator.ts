import { monitorEventLoopDelay } from 'node:perf_hooks';
import { percentiles } from '../stats.js';
import { ConnectionPool, now, type Device, type TargetWire } from './connection-pool.js';
import { publishOpenLoop, type PublishWire } from './open-loop-publisher.js';

/**
 * The load generator: its own process (forked by the orchestrator, driven over IPC), so what is
 * measured is the server. Commands are answered in order; every wait in here is bounded.
 */
type Command =
  | { op: 'init'; wires: TargetWire[]; sources: string[]; users: number; devicesPerUser: number; probes: number }
  | { op: 'open'; concurrency: number; limit?: number }
  | { op: 'publish'; wire: PublishWire; rate: number; durationMs: number; settleMs: number; toUsers?: readonly number[] }
  | { op: 'storm'; wire: PublishWire; gapEvents: number; retryMs: number; timeoutMs: number; replays: boolean }
  | { op: 'pause'; fraction: number }
  | { op: 'stats' };

let pool: ConnectionPool | undefined;
let users = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const until = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = now() + timeoutMs;
  while (!condition()) {
    if (now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
};

async function openAll(devices: Device[], concurrency: number, resume = false) {
  const statuses: Record<string, number> = {};
  const ms: number[] = [];
  let opened = 0;
  let next = 0;
  const started = now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, devices.length) }, async () => {
      while (next < devices.length) {
        const r = await pool!.open(devices[next++]!, resume);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.ok) {
          opened += 1;
          ms.push(r.ms);
        }
      }
    }),
  );
  const elapsed = now() - started;
  return { opened, failed: devices.length - opened, statuses, elapsedMs: elapsed, opensPerSec: opened / (elapsed / 1000), openMs: percentiles(ms) };
}


async function handle(cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'init': {
      pool = new ConnectionPool(cmd.wires, cmd.sources);
      users = cmd.users;
      const total = users * cmd.devicesPerUser;
      const every = Math.max(1, Math.floor(total / Math.max(1, cmd.probes)));
      // Device i belongs to user i % users, so a ramp spreads over every user.
      for (let i = 0; i < total; i++) pool.add(i % users, i % every === 0, Math.floor(i / users) % cmd.wires.length);
      return { devices: total };
    }
    case 'open': {
      const closed = pool!.devices.filter((d) => !d.open);
      return openAll(cmd.limit === undefined ? closed : closed.slice(0, cmd.limit), cmd.concurrency);
    }
    case 'publish': {
      const framesBefore = pool!.frames;
      pool!.latencies.length = 0;
      pool!.localLatencies.length = 0;
      pool!.remoteLatencies.length = 0;
      loopDelay.reset();
      const result = await publishOpenLoop(cmd.wire, users, cmd.rate, cmd.durationMs, undefined, undefined, cmd.toUsers);
      const expected = result.perUser.reduce((sum, n, u) => sum + n * pool!.devices.filter((d) => d.user === u && d.open).length, 0);
      // Bounded settle: stop when every frame is in, or when nothing new arrived for settleMs.
      let last = pool!.frames;
      let quietSince = now();
      await until(() => {
        const f = pool!.frames;
        if (f !== last) {
          last = f;
          quietSince = now();
        }
        return f - framesBefore >= expected || now() - quietSince > cmd.settleMs;
      }, cmd.settleMs * 10);
      const delivered = pool!.frames - framesBefore;
      return { ...result, perUser: undefined, expected, delivered, latency: percentiles(pool!.latencies), local: percentiles(pool!.localLatencies), remote: percentiles(pool!.remoteLatencies), loadGenLoopP99: loopDelay.percentile(99) / 1e6 };
    }
    case 'storm':
      return storm(cmd);
    case 'pause': {
      const every = Math.round(1 / cmd.fraction);
      let paused = 0;
      const pausedUsers = new Set<number>();
      pool!.devices.forEach((d, i) => {
        if (i % every === every - 1 && !d.probe) {
          pool!.pause(d);
          paused += 1;
          pausedUsers.add(d.user);
        }
      });
      return { paused, users: [...pausedUsers] };
    }
    case 'stats': {
      const ds = pool!.devices;
      return {
        open: ds.filter((d) => d.open).length,
        frames: pool!.frames,
        gaps: ds.reduce((s, d) => s + d.counter.gaps, 0),
        duplicates: ds.reduce((s, d) => s + d.counter.duplicates, 0),
        closedByServer: pool!.closedByServer,
      };
    }
  }
}

/**
 * Reconnect storm: every device drops, events are published while they are away, then all reconnect
 * at once with Last-Event-ID, as EventSource does: a network error or a closed stream is retried after
 * `retryMs`, any non-200 answer is final (a failed reconnect: that device would stay offline).
 */
async function storm(cmd: Extract<Command, { op: 'storm' }>) {
  const devices = pool!.devices;
  for (const d of devices) d.reopened = false;
  const gapsBefore = devices.reduce((s, d) => s + d.counter.gaps, 0);
  const dupsBefore = devices.reduce((s, d) => s + d.counter.duplicates, 0);
  // What each device had received when it dropped: it is caught up once it got every event published
  // while it was away. (Comparing its last id with the number of publishes, as until 2026-12-03, called
  // a Pushline device caught up without reconnecting: each notification takes two ids, its own and
  // the badge's, which are not counted.)
  const framesAtDrop = new Map(devices.map((d) => [d, d.counter.frames]));
  for (const d of devices) pool!.drop(d);
  const gap = await publishOpenLoop(cmd.wire, users, Math.max(50, cmd.gapEvents), 1000);
  const statuses: Record<string, number> = {};
  let failed = 0;
  let retries = 0;
  const started = now();
  let allOpenAt = 0;
  let openCount = 0;
  const reconnect = async (d: Device): Promise<void> => {
    for (;;) {
      const r = await pool!.open(d, true, cmd.timeoutMs);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.ok) {
        if (!d.reopened) {
          d.reopened = true;
          if (++openCount === devices.length) allOpenAt = now();
        }
        return;
      }
      if (r.status !== 0) {
        failed += 1;
        d.failed = true;
        return;
      }
      if (now() - started > cmd.timeoutMs) return;
      retries += 1;
      await new Promise((res) => setTimeout(res, cmd.retryMs));
    }
  };
  // A target without replay (the peers) never catches up on the gap: only its reconnect is timed.
  const behind = (d: Device): boolean => !d.reopened || (cmd.replays && d.counter.frames - framesAtDrop.get(d)! < (gap.perUser[d.user] ?? 0));
  const reconnecting = new Set<Device>();
  const kick = (d: Device): void => {
    reconnecting.add(d);
    // A stream that was open and ended (shed, or closed) is retried after the server's `retry:`, as
    // EventSource does, or after `retryMs`, jittered, when it sent none.
    const wait = !d.reopened ? 0 : d.retryMs ?? cmd.retryMs * (0.5 + Math.random());
    void new Promise((r) => setTimeout(r, wait)).then(() => reconnect(d)).finally(() => reconnecting.delete(d));
  };
  devices.forEach(kick);
  // A stream the server closed (shed, or ended) before the device caught up is reopened, as EventSource would.
  const caughtUp = await until(() => {
    for (const d of devices) if (!d.open && !reconnecting.has(d) && behind(d) && !d.failed) kick(d);
    return devices.every((d) => !behind(d));
  }, cmd.timeoutMs);
  const caughtUpMs = now() - started;
  return {
    devices: devices.length,
    gapEvents: gap.accepted,
    reconnectMs: allOpenAt ? allOpenAt - started : Number.NaN,
    caughtUpMs: caughtUp ? caughtUpMs : Number.NaN,
    opensPerSec: openCount / (((allOpenAt || now()) - started) / 1000),
    failedReconnects: failed,
    retries,
    statuses,
    gaps: devices.reduce((s, d) => s + d.counter.gaps, 0) - gapsBefore,
    duplicates: devices.reduce((s, d) => s + d.counter.duplicates, 0) - dupsBefore,
    notCaughtUp: devices.filter(behind).length,
  };
}

process.on('message', (message: { id: number; cmd: Command }) => {
  handle(message.cmd).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on('disconnect', () => {
  pool?.closeAll();
  process.exit(0);
});
