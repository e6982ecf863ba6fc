import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort, stopProcess, waitFor } from './bench-support.js';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The built API on a fresh PostgreSQL database of its own, logged in as the demo user alice. */
export interface BenchApi {
  readonly base: string;
  /** A JSON request with alice's token. */
  json(method: string, path: string, body: unknown): Promise<Response>;
  /** `count` notifications through the REST API, `concurrency` in flight; each id's createdAt goes to `createdAt`. */
  createNotifications(count: number, concurrency: number, createdAt: Map<string, number>): Promise<void>;
  /** Stops the API and drops its database. */
  stop(): Promise<void>;
}

/**
 * Starts `apps/api/dist/main.js` in production mode with the demo users, limits a benchmark does not
 * trip over, no channel grace period and a short channel poll, plus `env` (the channel's settings).
 */
export async function startChannelBenchApi(env: Record<string, string>): Promise<BenchApi> {
  const dbName = `pushline_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const port = await freePort();
  let api: ChildProcess | undefined;
  const stop = async () => {
    await stopProcess(api);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  };
  try {
    api = spawn(process.execPath, ['apps/api/dist/main.js'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`),
        JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256',
        LOG_LEVEL: 'error',
        SEED_DEMO: '1',
        LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
        WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
        CHANNEL_GRACE_MS: '0',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${base}/ready`).then((r) => r.ok, () => false), 'the API to be ready', 60_000);
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'alice@example.com', password: 'alice-demo-password' }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const json = (method: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const createNotifications = async (count: number, concurrency: number, createdAt: Map<string, number>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
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
    return { base, json, createNotifications, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
