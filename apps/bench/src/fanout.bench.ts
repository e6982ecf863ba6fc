import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, stopProcess, waitFor } from './bench-support.js';
import { RawSseClient } from './raw-sse-client.js';
import { summarize } from './stats.js';

/**
 * End-to-end fan-out: a real API process on a fresh PostgreSQL database, U users × D devices holding
 * SSE streams, E notifications created through the REST API with C requests in flight. Measures
 * creation throughput, deliveries per second, commit-to-device latency (envelope `time` → frame
 * received; one machine, one clock) and the server's memory per open stream.
 */
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    devices: { type: 'string', default: '10' },
    events: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const USERS = Number(values.users);
const DEVICES = Number(values.devices);
const EVENTS = Number(values.events);
const CONCURRENCY = Number(values.concurrency);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'bench-password-123';

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

async function main(): Promise<void> {
  const dbName = `pushline_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const port = await freePort();
  let api: ChildProcess | undefined;
  const clients: RawSseClient[] = [];
  try {
    api = spawn(process.execPath, ['apps/api/dist/main.js'], {
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATABASE_URL: databaseUrl, JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256', LOG_LEVEL: 'warn', STREAM_MAX_DEVICES_PER_USER: String(DEVICES), LOGIN_RATE_LIMIT_PER_MINUTE: '100000', WRITE_RATE_LIMIT_PER_MINUTE: '100000000', MAX_UNAUTHENTICATED_CONNECTIONS_PER_IP: '0' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${base}/ready`).then((r) => r.ok, () => false), 'the API to be ready', 60_000);

    // Users straight into the database (there is no sign-up route); same hash format as the API's.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const salt = randomBytes(16);
    const hash = ['scrypt', 1024, 8, 1, salt.toString('base64'), scryptSync(PASSWORD, salt, 64, { N: 1024, r: 8, p: 1 }).toString('base64')].join('$');
    const users = Array.from({ length: USERS }, (_, i) => ({ id: randomUUID(), email: `bench-${i}@example.com` }));
    for (const u of users) await db.query('INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, now())', [u.id, u.email, hash]);

    const tokens = await Promise.all(
      users.map(async (u) => {
        const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: PASSWORD }) });
        if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { accessToken: string }).accessToken;
      }),
    );

    const rssBefore = rssMiB(api.pid!);
    const latencies: number[] = [];
    const received = new Map<number, number>(); // user index → frames received over all its devices
    for (let u = 0; u < USERS; u++) {
      for (let d = 0; d < DEVICES; d++) {
        const client = new RawSseClient(`${base}/api/v1/stream`, tokens[u]!, (frame) => {
          received.set(u, (received.get(u) ?? 0) + 1);
          latencies.push(frame.receivedAt - Date.parse((JSON.parse(frame.data) as { time: string }).time));
        });
        await client.open();
        clients.push(client);
      }
    }
    const rssConnected = rssMiB(api.pid!);

    const sent = new Array<number>(USERS).fill(0);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < EVENTS) {
          const i = next++;
          const u = i % USERS;
          const res = await fetch(`${base}/api/v1/notifications`, { method: 'POST', headers: { authorization: `Bearer ${tokens[u]}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: `Bench ${i}`, body: 'x'.repeat(100) }) });
          if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
          await res.arrayBuffer();
          sent[u]! += 1;
        }
      }),
    );
    const createdMs = Date.now() - started;
    const expected = EVENTS * DEVICES;
    await waitFor(() => [...received.values()].reduce((a, b) => a + b, 0) >= expected, 'every delivery');
    const deliveredMs = Date.now() - started;
    const rssAfter = rssMiB(api.pid!);

    console.log(`\nFan-out: ${USERS} users × ${DEVICES} devices = ${USERS * DEVICES} SSE streams, ${EVENTS} notifications, ${CONCURRENCY} requests in flight (PostgreSQL)`);
    console.log(`  created      ${(EVENTS / (createdMs / 1000)).toFixed(0)} notifications/s (${createdMs} ms)`);
    console.log(`  delivered    ${expected} frames in ${deliveredMs} ms = ${(expected / (deliveredMs / 1000)).toFixed(0)} deliveries/s`);
    console.log(`  latency      commit → device: ${summarize(latencies)}`);
    console.log(`  server RSS   ${rssBefore.toFixed(0)} MiB idle → ${rssConnected.toFixed(0)} MiB with ${USERS * DEVICES} streams (${(((rssConnected - rssBefore) * 1024) / (USERS * DEVICES)).toFixed(1)} KiB/stream) → ${rssAfter.toFixed(0)} MiB after the run`);
    await db.end();
  } finally {
    for (const c of clients) c.close();
    await stopProcess(api);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
