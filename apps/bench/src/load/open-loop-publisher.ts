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
export async function publishOpenLoop(wire: PublishWire, users: number, rate: number, durationMs: number, graceMs = 5000, maxInFlight = 256): Promise<PublishResult> {
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

  const send = (user: number, due: number, port: number): Promise<void> =>
    new Promise((resolve) => {
      const body = `${before}${due.toFixed(3)}${after}`;
      const req = request(
        { host: wire.host, port, path: wire.paths?.[user] ?? wire.path, method: 'POST', agent, headers: { ...wire.headers[user], 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const code = String(res.statusCode);
          statuses[code] = (statuses[code] ?? 0) + 1;
          if (res.statusCode! < 300) {
            accepted += 1;
            perUser[user]! += 1;
          } else failed += 1;
          res.resume();
          res.on('end', resolve);
          res.on('error', () => resolve());
        },
      );
      req.on('error', () => {
        failed += 1;
        statuses.error = (statuses.error ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const t = now();
      while (k < total && start + (k * 1000) / rate <= t) {
        const due = start + (k * 1000) / rate;
        lagMs = t - due;
        const p = send(k % users, due, wire.ports ? wire.ports[k % wire.ports.length]! : wire.port);
        pending.add(p);
        void p.then(() => pending.delete(p));
        k += 1;
      }
      if (k >= total) resolve();
      else setTimeout(tick, Math.max(0, Math.min(5, start + (k * 1000) / rate - now())));
    };
    tick();
  });
  // Bounded: answers still missing `graceMs` after the last send are cut and counted as failed.
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, graceMs))]);
  agent.destroy();
  await Promise.all(pending);
  return { scheduled: total, accepted, failed, perUser, statuses, lagMs };
}
