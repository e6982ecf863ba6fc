import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import pg from 'pg';
import { WebhookReceiver } from '@pushline/testing';
import { ApiProcess } from '../support/api-process.js';
import { eventually } from '../support/eventually.js';
import { installedApps, logIn, request } from '../support/http-client.js';

const ADMIN_TOKEN = 'webhook-fault-admin-token-0123456789';
const EVENTS = 20;

/**
 * SIGKILL of the API process while webhook deliveries are mid-retries, then two processes on the same
 * database: every delivery still reaches the receiver (nothing lost), none is ever being sent twice at
 * the same moment, and each ends with one success.
 */
describe('webhook delivery across a SIGKILL and two instances', () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  const processes: ApiProcess[] = [];

  const env = {
    ADMIN_TOKEN,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_SCHEDULE: '0,100ms,100ms,100ms,100ms,100ms,100ms',
    // Lease = 2 × timeout + 5 s: a delivery the killed process held is free again ~7 s later.
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_POLL_MS: '100',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
  };

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await db.dispose({ keep: true });
  });

  afterAll(async () => {
    for (const p of processes) await p.stop();
    await receiver?.close();
    await db?.drop();
  });

  it('loses nothing and never sends one delivery twice at once', async () => {
    const first = await ApiProcess.start({ databaseUrl: db.url!, env });
    processes.push(first);
    // A real app alice installed: apps hear only about users who installed them.
    const alice = await logIn(first.url, 'alice@example.com', 'alice-demo-password');
    const { orders } = await installedApps(first.url, ADMIN_TOKEN, alice, ['orders']);
    const created = await request<{ id: string; secret: string }>(first.url, 'POST', `/api/v1/apps/${orders}/webhooks`, {
      bearer: ADMIN_TOKEN,
      body: { url: 'http://127.0.0.1:9/placeholder', eventTypes: ['notification.created'], enabled: false },
    });
    expect(created.status).toBe(201);
    // Two failures per delivery, then success: at the kill, most deliveries are between attempts.
    const failuresOf = new Map<string, number>();
    receiver = await WebhookReceiver.start({
      secrets: [created.body.secret],
      behaviour: (_n, req) => {
        const failed = failuresOf.get(req.id) ?? 0;
        if (failed >= 2) return { status: 200 };
        failuresOf.set(req.id, failed + 1);
        return { status: 500 };
      },
    });
    await request(first.url, 'PATCH', `/api/v1/apps/${orders}/webhooks/${created.body.id}`, { bearer: ADMIN_TOKEN, body: { url: receiver.url, enabled: true } });

    for (let i = 0; i < EVENTS; i += 1) {
      const res = await request(first.url, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: `order ${i}` } });
      expect(res.status).toBe(201);
    }
    await receiver.waitForRequests(EVENTS);
    first.kill('SIGKILL');
    await first.waitForExit();

    const [a, b] = await Promise.all([ApiProcess.start({ databaseUrl: db.url!, env }), ApiProcess.start({ databaseUrl: db.url!, env })]);
    processes.push(a!, b!);
    const succeeded = () => [...failuresOf.values()].filter((f) => f >= 2).length;
    const deliveries = async () =>
      (await request<{ items: { status: string }[] }>(a!.url, 'GET', `/api/v1/apps/${orders}/webhooks/${created.body.id}/deliveries?limit=100`, { bearer: ADMIN_TOKEN })).body.items;
    await eventually(async () => succeeded() === EVENTS && (await deliveries()).every((d) => d.status === 'succeeded'), 'every delivery to succeed');

    expect(await deliveries()).toHaveLength(EVENTS);
    expect(receiver.ids()).toHaveLength(EVENTS);
    expect(receiver.concurrentDuplicates).toEqual([]);
    expect(receiver.received.every((r) => r.verified[0])).toBe(true);
  }, 90_000);

  it('drains on SIGTERM: an attempt in flight finishes and is recorded before the process exits', async () => {
    // A database of its own: no other instance may take this delivery.
    const own = await createTestDatabase('postgres');
    await own.dispose({ keep: true });
    const api = await ApiProcess.start({ databaseUrl: own.url!, env });
    processes.push(api);
    const alice = await logIn(api.url, 'alice@example.com', 'alice-demo-password');
    const { drain } = await installedApps(api.url, ADMIN_TOKEN, alice, ['drain']);
    const created = await request<{ id: string; secret: string }>(api.url, 'POST', `/api/v1/apps/${drain}/webhooks`, {
      bearer: ADMIN_TOKEN,
      body: { url: 'http://127.0.0.1:9/placeholder', eventTypes: ['notification.created'], enabled: false },
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = await WebhookReceiver.start({
      secrets: [created.body.secret],
      behaviour: async () => {
        await released;
        return { status: 200 };
      },
    });
    try {
      await request(api.url, 'PATCH', `/api/v1/apps/${drain}/webhooks/${created.body.id}`, { bearer: ADMIN_TOKEN, body: { url: held.url, enabled: true } });
      await request(api.url, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: 'in flight at SIGTERM' } });
      await held.waitForRequests(1);

      api.kill('SIGTERM');
      release();
      expect((await api.waitForExit()).code).toBe(0);

      const client = new pg.Client({ connectionString: own.url });
      await client.connect();
      const { rows } = await client.query<{ status: string; attempt_count: number; lease_token: string | null }>(
        'SELECT status, attempt_count, lease_token FROM webhook_deliveries WHERE subscription_id = $1',
        [created.body.id],
      );
      await client.end();
      expect(rows).toEqual([{ status: 'succeeded', attempt_count: 1, lease_token: null }]);
      expect(held.received).toHaveLength(1);
    } finally {
      release();
      await held.close();
      await own.drop();
    }
  }, 60_000);
});

