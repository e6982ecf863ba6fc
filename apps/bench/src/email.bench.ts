import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { freePort, stopProcess, waitFor } from './bench-support.js';
import { summarize } from './stats.js';

/**
 * The email channel end to end: a real API process (production mode) on a fresh PostgreSQL database,
 * an SMTP server (`smtp-server`) on loopback. E notifications are created through the REST API with
 * the category's email on and no grace period; each becomes a send record, then an SMTP message.
 * Emails/s and create → accepted-by-SMTP latency (which includes up to one CHANNEL_POLL_MS).
 */
const { values } = parseArgs({ options: { events: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '16' } } });
const EVENTS = Number(values.events);
const CONCURRENCY = Number(values.concurrency);
const POLL_MS = 100;
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  const dbName = `pushline_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const createdAt = new Map<string, number>();
  const latencies: number[] = [];
  let accepted = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 64 * 1024) head += c.toString('utf8');
      });
      stream.on('end', () => {
        accepted += 1;
        const ids = /^X-Pushline-Notifications: (.+)$/im.exec(head)?.[1]?.trim().split(',') ?? [];
        for (const id of ids) {
          const at = createdAt.get(id);
          if (at !== undefined) latencies.push(Date.now() - at);
        }
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
  const port = await freePort();
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
        LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
        WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        CHANNEL_GRACE_MS: '0',
        CHANNEL_POLL_MS: String(POLL_MS),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${base}/ready`).then((r) => r.ok, () => false), 'the API to be ready', 60_000);
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'alice@example.com', password: 'alice-demo-password' }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const json = (method: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const create = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < count) {
            next += 1;
            const res = await json('POST', '/api/v1/notifications', { title: `Bench ${next}`, body: 'x'.repeat(100) });
            if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
            const { id, createdAt: at } = (await res.json()) as { id: string; createdAt: string };
            createdAt.set(id, Date.parse(at));
          }
        }),
      );
    };

    const baselineStarted = Date.now();
    await create(Math.max(100, Math.round(EVENTS / 4)));
    const baselineMs = Date.now() - baselineStarted;
    const baselineCount = createdAt.size;
    createdAt.clear();
    const prefs = await json('PUT', '/api/v1/preferences', { categories: { test: { channels: { email: true } } } });
    if (prefs.status !== 200) throw new Error(`preferences not saved: ${prefs.status}`);

    const started = Date.now();
    await create(EVENTS);
    const createdMs = Date.now() - started;
    await waitFor(() => accepted >= EVENTS, 'every email', 10 * 60_000);
    const sentMs = Date.now() - started;
    console.log(`\nEmail channel: ${EVENTS} notifications with email on, ${CONCURRENCY} creates in flight (PostgreSQL, production mode, grace 0, poll ${POLL_MS} ms)`);
    console.log(`  created      ${(EVENTS / (createdMs / 1000)).toFixed(0)} notifications/s (${createdMs} ms); with email off ${(baselineCount / (baselineMs / 1000)).toFixed(0)}/s`);
    console.log(`  sent         ${accepted} SMTP messages in ${sentMs} ms = ${(accepted / (sentMs / 1000)).toFixed(0)} emails/s`);
    console.log(`  latency      create → accepted by the SMTP server: ${summarize(latencies)}`);
  } finally {
    await stopProcess(api);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
