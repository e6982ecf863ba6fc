import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { RandomApiKeyGenerator } from '@pushline/auth-jwt';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import type { TargetWire } from './load/connection-pool.js';
import type { PublishBatch, PublishWire } from './load/open-loop-publisher.js';
import { cpuSeconds, rssMiB } from './proc-stats.js';

export type TargetName = 'bare-http' | 'better-sse' | 'socket.io' | 'pushline' | 'pushline-before';
export const PEERS: readonly TargetName[] = ['bare-http', 'better-sse', 'socket.io'];

export interface ServerProbe {
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
  /** Bytes queued in the process for its sockets, not yet taken by the kernel. */
  readonly queuedMiB: number;
}

/** One started server (one or more processes) with what the load generator needs to reach it. */
export interface RunningTarget {
  readonly name: TargetName;
  readonly pids: readonly number[];
  /** Streams: instance i serves wires[i]; devices are spread over them by the caller. */
  readonly wires: readonly TargetWire[];
  readonly publish: PublishWire;
  /**
   * As `publish`, with `size` events (to `size` users) in each request: a server-side publisher's
   * batches. Pushline publishes them as an app's notifications (each user's inbox and badge) or as one
   * app event to all `size` users (their streams only); the peers have one kind of message.
   */
  batchPublish(size: number, kind?: BatchKind): PublishWire;
  /** Pushline: its database, for the raw `pg` baseline of the write path. */
  readonly databaseUrl?: string;
  probe(instance?: number): Promise<ServerProbe>;
  /** Starts, or stops and writes to `file`, a CPU profile of instance 0 (the --cpu-prof of a window). */
  profile(file: string | 'start'): void;
  /** Writes a heap snapshot of instance 0 (to see what each connection keeps alive). */
  heapSnapshot(file: string): Promise<void>;
  cpuSeconds(): number;
  rssMiB(): number;
  stop(): Promise<void>;
}

export interface TargetOptions {
  readonly users: number;
  readonly devicesPerUser: number;
  /** Pushline only: API processes sharing one database through Redis (scenario G). */
  readonly instances?: number;
  readonly env?: Record<string, string>;
  /** Pushline only: an app installed by every user, with a key, for batched publishes (`batchPublish`). */
  readonly publisherApp?: boolean;
}

const HOST = '127.0.0.1';
// Several sessions may bench on one machine: BENCH_BASE_PORT moves every target's ports.
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 3140);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** The tenant the first migration seeds (prisma/migrations/20261201213000_tenants). */
const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const SECRET = 'bench-secret-that-is-long-enough-for-hs256';
const PROBE = new URL('./server-probe.js', import.meta.url).pathname;
export const PAYLOAD_BODY = 'It arrives on Friday between 9 and 12.';

/**
 * One short-lived admin connection per statement: on a machine shared with test suites that terminate
 * backends, a connection held for a whole measurement can be cut, and an unhandled client error would
 * end the harness.
 */
async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  admin.on('error', () => {});
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function startProcess(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', PROBE, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

async function untilListening(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, HOST, () => resolve(true)).on('error', () => resolve(false));
      s.once('connect', () => s.destroy());
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} never opened`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function probeOf(child: ChildProcess): Promise<ServerProbe> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('probe timed out')), 10_000);
    const onMessage = (m: { probe?: ServerProbe }): void => {
      if (!m.probe) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m.probe);
    };
    child.on('message', onMessage);
    child.send('probe');
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

type BatchWire = Omit<PublishBatch, 'size'>;

/** What a batched publish creates in Pushline (RunningTarget.batchPublish). */
export type BatchKind = 'notifications' | 'events';

function running(
  name: TargetName,
  children: ChildProcess[],
  wires: TargetWire[],
  publish: PublishWire,
  batches: Readonly<Record<BatchKind, BatchWire>> | undefined,
  cleanup: () => Promise<void> = async () => {},
  databaseUrl?: string,
): RunningTarget {
  return {
    name,
    ...(databaseUrl && { databaseUrl }),
    pids: children.map((c) => c.pid!),
    wires,
    publish,
    batchPublish: (size, kind = 'notifications') => {
      if (!batches) throw new Error(`${name} was started without a publisher for batches (publisherApp)`);
      return { ...publish, batch: { ...batches[kind], size } };
    },
    probe: (i = 0) => probeOf(children[i]!),
    profile: (file) => void children[0]!.send({ profile: file }),
    heapSnapshot: (file) =>
      new Promise((resolve) => {
        const done = (m: { heapSnapshot?: string }): void => {
          if (m.heapSnapshot !== file) return;
          children[0]!.off('message', done);
          resolve();
        };
        children[0]!.on('message', done);
        children[0]!.send({ heapSnapshot: file });
      }),
    cpuSeconds: () => children.reduce((s, c) => s + cpuSeconds(c.pid!), 0),
    rssMiB: () => children.reduce((s, c) => s + rssMiB(c.pid!), 0),
    stop: async () => {
      await Promise.all(children.map(stopProcess));
      await cleanup();
    },
  };
}

async function startPeer(name: TargetName, o: TargetOptions): Promise<RunningTarget> {
  const script = new URL(`./peers/${name === 'socket.io' ? 'socket-io' : name}.server.js`, import.meta.url).pathname;
  const child = startProcess(script, { PORT: String(BASE_PORT) });
  await untilListening(BASE_PORT, child);
  const users = Array.from({ length: o.users }, (_, u) => u);
  const wire: TargetWire =
    name === 'socket.io'
      ? { kind: 'engine.io', host: HOST, port: BASE_PORT, requests: users.map((u) => `/socket.io/?EIO=4&transport=websocket&u=${u}`) }
      : { kind: 'sse', host: HOST, port: BASE_PORT, requests: users.map((u) => `GET /stream?u=${u} HTTP/1.1\r\nHost: ${HOST}\r\nAccept: text/event-stream\r\n`) };
  const publish: PublishWire = {
    host: HOST,
    port: BASE_PORT,
    path: '/publish',
    paths: users.map((u) => `/publish?u=${u}`),
    headers: users.map(() => ({})),
    bodyTemplate: templateOf({ title: 'Your order shipped', body: PAYLOAD_BODY, t: 0 }),
  };
  const batch: BatchWire = { path: '/publish?u={users}', headers: {}, bodyTemplate: publish.bodyTemplate, userKeys: users.map(String) };
  return running(name, [child], [wire], publish, { notifications: batch, events: batch });
}

/** A fresh PostgreSQL database, the users in it, and one signed token per user (as a login would issue). */
async function startPushline(name: TargetName, o: TargetOptions): Promise<RunningTarget> {
  // The build measured "before" the speed-ups: a checkout of the base commit built by run.sh.
  const root = name === 'pushline-before' ? process.env.BENCH_BEFORE_DIR : '.';
  if (!root) throw new Error('pushline-before needs BENCH_BEFORE_DIR (run.sh sets it with --before REF)');
  const dbName = `pushline_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const instances = o.instances ?? 1;
  const prefix = `pushline-bench-${randomBytes(4).toString('hex')}:`;
  const children: ChildProcess[] = [];
  const cleanup = async (): Promise<void> => {
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  };
  try {
    for (let i = 0; i < instances; i++) {
      // The first instance applies the migrations; the others start once it listens.
      const child = startProcess(`${root}/apps/api/dist/main.js`, {
        NODE_ENV: 'production',
        PORT: String(BASE_PORT + i),
        HOST,
        DATABASE_URL: databaseUrl,
        JWT_SECRET: SECRET,
        LOG_LEVEL: 'warn',
        STREAM_MAX_DEVICES_PER_USER: String(Math.max(20, o.devicesPerUser * 2)),
        ...(instances > 1 && { EVENT_BUS: 'redis' }),
        ...o.env,
        REDIS_KEY_PREFIX: prefix,
      });
      children.push(child);
      await untilListening(BASE_PORT + i, child);
    }
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    db.on('error', () => {});
    const ids = Array.from({ length: o.users }, () => randomUUID());
    // Each user in the seeded demo tenant with one login session, as a login would leave them: a token
    // is accepted only while its session exists (the session check is part of every request's cost).
    // Sessions carry their tenant since migration 20261203100000; a `--before` build may predate it.
    const sessionTenant = (
      await db.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'sessions' AND column_name = 'tenant_id'`)
    ).rowCount
      ? { column: ', tenant_id', value: ', $2' }
      : { column: '', value: '' };
    for (let from = 0; from < ids.length; from += 1000) {
      const batch = ids.slice(from, from + 1000);
      await db.query(
        `INSERT INTO users (id, tenant_id, email, password_hash, created_at) SELECT id, $2, 'bench-' || id || '@example.com', 'scrypt$unused', now() FROM unnest($1::text[]) AS id`,
        [batch, DEMO_TENANT],
      );
      await db.query(
        `INSERT INTO sessions (id, user_id, created_at, expires_at, idle_expires_at${sessionTenant.column}) SELECT 's-' || id, id, now(), now() + interval '2 hours', now() + interval '2 hours'${sessionTenant.value} FROM unnest($1::text[]) AS id`,
        sessionTenant.column ? [batch, DEMO_TENANT] : [batch],
      );
    }
    const app = o.publisherApp ? await seedPublisherApp(db, ids) : undefined;
    // Statistics, as a database in service has them (autovacuum analyzes a table a minute or so after
    // bulk inserts): without them the planner guesses from empty tables, and its plans measure the seed.
    await db.query('ANALYZE');
    await db.end();
    const tokens = ids.map((id) =>
      jwt.sign({ email: `bench-${id}@example.com`, sid: `s-${id}`, tid: DEMO_TENANT }, SECRET, { algorithm: 'HS256', subject: id, issuer: 'pushline', audience: 'pushline-api', expiresIn: 3600 }),
    );
    const wires: TargetWire[] = children.map((_, i) => ({
      kind: 'sse',
      host: HOST,
      port: BASE_PORT + i,
      requests: tokens.map((t) => `GET /api/v1/stream HTTP/1.1\r\nHost: ${HOST}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${t}\r\n`),
      // Each create also sends the user's badge counts: a delivery is the notification itself.
      uncountedEvent: 'notification.counts',
    }));
    const publish: PublishWire = {
      host: HOST,
      port: BASE_PORT,
      path: '/api/v1/notifications',
      headers: tokens.map((t) => ({ authorization: `Bearer ${t}` })),
      bodyTemplate: templateOf({ title: 'Your order shipped', body: PAYLOAD_BODY, data: { t: 0 } }),
    };
    return running(name, children, wires, publish, app && appBatches(app, ids), cleanup, databaseUrl);
  } catch (error) {
    console.error(`${name} did not start:`, error);
    await Promise.all(children.map(stopProcess));
    await cleanup();
    throw error;
  }
}

/**
 * A publish body as the publisher's template: `{t}` where the send time goes (`t: 0` in `body`), and
 * `{users}` where the batch's user keys go (the string `'{users}'` in `body`).
 */
function templateOf(body: unknown): string {
  return JSON.stringify(body).replace('"{users}"', '{users}').replace('"t":0', '"t":{t}');
}

/**
 * The app publish API: one request creates the notification for every user it names, or publishes
 * one event of a declared type to all of them.
 */
function appBatches(app: { id: string; key: string }, ids: readonly string[]): Record<BatchKind, BatchWire> {
  const headers = { authorization: `Bearer ${app.key}` };
  return {
    notifications: {
      path: `/api/v1/apps/${app.id}/notifications`,
      headers,
      bodyTemplate: templateOf({ userIds: '{users}', title: 'Your order shipped', body: PAYLOAD_BODY, data: { t: 0 } }),
      userKeys: ids,
    },
    events: {
      path: `/api/v1/apps/${app.id}/events`,
      headers,
      bodyTemplate: templateOf({ type: BENCH_EVENT_TYPE, subject: 'order-1', data: { title: 'Your order shipped', body: PAYLOAD_BODY, t: 0 }, audience: { userIds: '{users}' } }),
      userKeys: ids,
    },
  };
}

/** The event type the bench's publisher app declares (any object): its events go to users' streams only. */
const BENCH_EVENT_TYPE = 'benchpub.order.shipped';

/** An app of the demo tenant that every user installed, with a key that may write notifications and publish its event type. */
async function seedPublisherApp(db: pg.Client, userIds: readonly string[]): Promise<{ id: string; key: string }> {
  const id = randomUUID();
  const { key, prefix, hash } = new RandomApiKeyGenerator().generate();
  await db.query(`INSERT INTO apps (id, tenant_id, name, slug, created_at) VALUES ($1, $2, 'Bench publisher', 'benchpub', now())`, [id, DEMO_TENANT]);
  await db.query(`INSERT INTO api_keys (id, tenant_id, app_id, prefix, key_hash, scopes, created_at) VALUES ($1, $2, $3, $4, $5, ARRAY['notifications:write', 'events:publish'], now())`, [
    randomUUID(),
    DEMO_TENANT,
    id,
    prefix,
    hash,
  ]);
  await db.query(`INSERT INTO app_event_types (tenant_id, app_id, type, version, schema, created_at) VALUES ($1, $2, $3, 1, '{"type":"object"}', now())`, [DEMO_TENANT, id, BENCH_EVENT_TYPE]);
  await db.query(`INSERT INTO app_installations (tenant_id, app_id, user_id, created_at) SELECT $1, $2, u, now() FROM unnest($3::text[]) AS u`, [DEMO_TENANT, id, userIds]);
  return { id, key };
}

export function startTarget(name: TargetName, options: TargetOptions): Promise<RunningTarget> {
  return name.startsWith('pushline') ? startPushline(name, options) : startPeer(name, options);
}
