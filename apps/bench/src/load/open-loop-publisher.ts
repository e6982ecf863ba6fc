import { Agent, request } from 'node:http';
import { now } from './connection-pool.js';

/** How to publish one event to a user: `{t}` in the body is replaced by the scheduled send time. */
export interface PublishWire {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** Per user, when the user is in the path (the peers' `/publish?u=N`). */
  readonly paths?: readonly string[];
  /** Per user: request headers (e.g. that user's bearer token). */
  readonly headers: readonly Record<string, string>[];
  readonly bodyTemplate: string;
  /** When set, creates go round-robin to these ports (every instance of the target) instead of `port`. */
  readonly ports?: readonly number[];
  /** When set, one request publishes `size` consecutive events (to `size` different users) at once. */
  readonly batch?: PublishBatch;
}

/**
 * Several users in one publish request, as a server-side publisher at high rates sends them. `{users}`
 * in `path` becomes the users' keys joined by commas; in `bodyTemplate`, a JSON array of them.
 */
export interface PublishBatch {
  readonly size: number;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly bodyTemplate: string;
  /** Per user: how the request names that user (the peers' `N`, Pushline's user id). */
  readonly userKeys: readonly string[];
}

export interface PublishResult {
  readonly scheduled: number;
  readonly accepted: number;
  readonly failed: number;
  readonly perUser: number[];
  readonly statuses: Record<string, number>;
  /** How far behind schedule the last send left (ms): the publisher itself could not keep up if large. */
  readonly lagMs: number;
}

/**
 * Open loop: event k is due at start + k / rate whatever happened to earlier ones, so a slow server
 * shows as latency (measured from the due time) instead of as a lower offered rate.
 */
export async function publishOpenLoop(
  wire: PublishWire,
  users: number,
  rate: number,
  durationMs: number,
  graceMs = 5000,
  maxInFlight = 256,
  /** Only these users, in turn (default: every user). */
  only?: readonly number[],
): Promise<PublishResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const perUser = new Array<number>(users).fill(0);
  const statuses: Record<string, number> = {};
  let accepted = 0;
  let failed = 0;
  let lagMs = 0;
  const pending = new Set<Promise<void>>();
  const start = now() + 5;
  let k = 0;
  const [before, after] = wire.bodyTemplate.split('{t}') as [string, string];
  const batch = wire.batch;
  const size = batch?.size ?? 1;
  const dueAt = (i: number): number => start + (i * 1000) / rate;
  /** The index after the batch that starts at `from`. */
  const endOf = (from: number): number => Math.min(total, from + size);
  const requestOf = (group: readonly number[], due: number): { path: string; headers: Record<string, string>; body: string } => {
    if (!batch) return { path: wire.paths?.[group[0]!] ?? wire.path, headers: wire.headers[group[0]!]!, body: `${before}${due.toFixed(3)}${after}` };
    const keys = group.map((u) => batch.userKeys[u]!);
    return {
      path: batch.path.replace('{users}', keys.map(encodeURIComponent).join(',')),
      headers: batch.headers,
      body: batch.bodyTemplate.replace('{users}', JSON.stringify(keys)).replace('{t}', due.toFixed(3)),
    };
  };

  // One request for the events of `group` (one per user), stamped with the due time of the first.
  const send = (group: readonly number[], due: number, port: number): Promise<void> =>
    new Promise((resolve) => {
      const { path, headers, body } = requestOf(group, due);
      const req = request(
        { host: wire.host, port, path, method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const code = String(res.statusCode);
          statuses[code] = (statuses[code] ?? 0) + group.length;
          if (res.statusCode! < 300) {
            accepted += group.length;
            for (const user of group) perUser[user]! += 1;
          } else failed += group.length;
          res.resume();
          res.on('end', resolve);
          res.on('error', () => resolve());
        },
      );
      req.on('error', () => {
        failed += group.length;
        statuses.error = (statuses.error ?? 0) + group.length;
        resolve();
      });
      req.end(body);
    });

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const t = now();
      // A batch leaves when its last event is due: its latency counts the wait for the whole batch.
      while (k < total && dueAt(endOf(k) - 1) <= t) {
        const due = dueAt(k);
        const group: number[] = [];
        for (const end = endOf(k); k < end; k++) group.push(only ? only[k % only.length]! : k % users);
        lagMs = t - dueAt(k - 1);
        const p = send(group, due, wire.ports ? wire.ports[(k - 1) % wire.ports.length]! : wire.port);
        pending.add(p);
        void p.then(() => pending.delete(p));
      }
      if (k >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, dueAt(endOf(k) - 1) - now())));
    };
    tick();
  });
  // Bounded: answers still missing `graceMs` after the last send are cut and counted as failed.
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, graceMs))]);
  agent.destroy();
  await Promise.all(pending);
  return { scheduled: total, accepted, failed, perUser, statuses, lagMs };
}
