import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, stopProcess, waitFor } from './bench-support.js';
import { summarize } from './stats.js';

/**
 * Webhook delivery end to end: a real API process (production mode) on a fresh PostgreSQL database,
 * one subscription to a receiver on loopback. (1) Throughput: E notifications created through the REST
 * API, each one a signed POST to the receiver; deliveries/s and commit → receiver latency. (2) Recovery:
 * the receiver goes down for D seconds while M more events are committed (every attempt fails: connection
 * refused), then comes back; the time until the backlog has drained.
 */
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    backlog: { type: 'string', default: '1000' },
    'down-seconds': { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '16' },
  },
});
const EVENTS = Number(values.events);
const BACKLOG = Number(values.backlog);
const DOWN_MS = Number(values['down-seconds']) * 1000;
const CONCURRENCY = Number(values.concurrency);
const BASELINE = Math.max(100, Math.round(EVENTS / 4));
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
// Short enough that the drain measures the worker, not hours of backoff; the default schedule's next
// retry after a minute down would be the 5-minute one.
const SCHEDULE = '0,1s,2s,5s,10s,20s,30s,60s,60s,60s';

class CountingReceiver {
  readonly ids = new Set<string>();
  readonly latencies: number[] = [];
  requests = 0;
  private server: Server | undefined;

  constructor(readonly port: number) {}

  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests += 1;
        const id = String(req.headers['webhook-id']);
        if (!this.ids.has(id)) {
          this.ids.add(id);
          this.latencies.push(Date.now() - Date.parse((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { time: string }).time));
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

async function main(): Promise<void> {
  const dbName = `pushline_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const port = await freePort();
  const receiver = new CountingReceiver(await freePort());
  let api: ChildProcess | undefined;
  try {
    api = spawn(process.execPath, ['apps/api/dist/main.js'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256',
        LOG_LEVEL: 'error',
        SEED_DEMO: '1',
        ADMIN_TOKEN,
        LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
        WEBHOOK_ALLOW_HTTP: '1',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_RETRY_SCHEDULE: SCHEDULE,
        WEBHOOK_DISABLE_AFTER_FAILURES: '1000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${base}/ready`).then((r) => r.ok, () => false), 'the API to be ready', 60_000);
    await receiver.up();
    const json = (method: string, path: string, body: unknown, bearer: string) =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'alice@example.com', password: 'alice-demo-password' }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;

    const create = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < count) {
            const i = next++;
            const res = await json('POST', '/api/v1/notifications', { title: `Bench ${i}`, body: 'x'.repeat(100) }, token);
            if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
            await res.arrayBuffer();
          }
        }),
      );
    };

    // Baseline on the same machine and moment: creates with no subscription (the outbox hook finds none).
    const baselineStarted = Date.now();
    await create(BASELINE);
    const baselineMs = Date.now() - baselineStarted;

    // A real app the bench user installed: apps hear only about users who installed them.
    const me = (await (await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { tenantId: string };
    const app = await json('POST', `/api/v1/admin/tenants/${me.tenantId}/apps`, { name: 'bench', slug: 'bench' }, ADMIN_TOKEN);
    if (app.status !== 201) throw new Error(`app not created: ${app.status} ${await app.text()}`);
    const { id: appId } = (await app.json()) as { id: string };
    const installed = await json('PUT', `/api/v1/me/apps/${appId}`, undefined, token);
    if (installed.status >= 300) throw new Error(`app not installed: ${installed.status} ${await installed.text()}`);
    const sub = await json('POST', `/api/v1/apps/${appId}/webhooks`, { url: `http://127.0.0.1:${receiver.port}/hook`, eventTypes: ['notification.created'] }, ADMIN_TOKEN);
    if (sub.status !== 201) throw new Error(`subscribe failed: ${sub.status} ${await sub.text()}`);
    const started = Date.now();
    await create(EVENTS);
    const createdMs = Date.now() - started;
    await waitFor(() => receiver.ids.size >= EVENTS, 'every delivery');
    const deliveredMs = Date.now() - started;
    console.log(`\nWebhooks: ${EVENTS} notifications → 1 subscription, ${CONCURRENCY} creates in flight (PostgreSQL, production mode)`);
    console.log(`  created      ${(EVENTS / (createdMs / 1000)).toFixed(0)} notifications/s (${createdMs} ms); without a subscription ${(BASELINE / (baselineMs / 1000)).toFixed(0)}/s`);
    console.log(`  delivered    ${EVENTS} signed POSTs in ${deliveredMs} ms = ${(EVENTS / (deliveredMs / 1000)).toFixed(0)} deliveries/s (${receiver.requests} requests)`);
    console.log(`  latency      commit → receiver: ${summarize(receiver.latencies)}`);

    await receiver.down();
    const downAt = Date.now();
    await create(BACKLOG);
    const remaining = DOWN_MS - (Date.now() - downAt);
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    const before = receiver.ids.size;
    await receiver.up();
    const upAt = Date.now();
    await waitFor(() => receiver.ids.size >= EVENTS + BACKLOG, 'the backlog to drain', 10 * 60_000);
    const drainMs = Date.now() - upAt;
    console.log(`  receiver down ${(DOWN_MS / 1000).toFixed(0)} s with ${BACKLOG} events committed meanwhile (schedule ${SCHEDULE})`);
    console.log(`  drained      ${EVENTS + BACKLOG - before} deliveries in ${drainMs} ms after the receiver came back (${receiver.requests} requests in all)`);
  } finally {
    await receiver.down();
    await stopProcess(api);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
