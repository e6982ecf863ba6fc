import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { streamShardOf } from '@pushline/broker-redis';
import { RedisServerProcess } from '@pushline/broker-redis/testing';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import { ApiProcess } from '../support/api-process.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { eventually } from '../support/eventually.js';
import { StreamClient } from '../support/stream-client.js';

/**
 * Two API processes on one PostgreSQL and one Redis (EVENT_BUS=redis), as behind a load balancer:
 * Alice's devices are spread over both, and whichever instance takes a request, every device hears
 * about it. Then Redis dies for a while: both instances keep taking requests, say they are degraded,
 * reconnect by themselves, and every event committed meanwhile still reaches every device.
 */
describe('two API instances over Redis', () => {
  let redis: RedisServerProcess;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let alice: { onA: LoggedIn; onB: LoggedIn };
  let devices: { name: string; client: StreamClient }[];
  const clients: StreamClient[] = [];
  let keyPrefix: string;

  beforeAll(async () => {
    // Instance B signs in as its own Redis user, so the test can cut B off alone.
    [redis, database] = await Promise.all([
      RedisServerProcess.start({ extraArgs: ['--user', 'b', 'on', '>b-password', '~*', '&*', '+@all'] }),
      createTestDatabase('postgres'),
    ]);
    await database.dispose({ keep: true });
    const env = {
      EVENT_BUS: 'redis',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: (keyPrefix = `pushline-test:${randomUUID()}:`),
      OUTBOX_POLL_MS: '200',
    };
    // The database is migrated already, so both start at once; one seeds the demo users for both.
    [a, b] = await Promise.all([
      ApiProcess.start({ databaseUrl: database.url!, env: { ...env, SEED_DEMO: '1', INSTANCE_ID: 'a' } }),
      ApiProcess.start({
        databaseUrl: database.url!,
        env: { ...env, REDIS_URL: redis.url.replace('redis://', 'redis://b:b-password@'), SEED_DEMO: '0', INSTANCE_ID: 'b' },
      }),
    ]);
    await Promise.all([waitForReadiness(a.url, 'ready'), waitForReadiness(b.url, 'ready')]);

    const [onA, onB] = await Promise.all([
      logIn(a.url, 'alice@example.com', 'alice-demo-password'),
      logIn(b.url, 'alice@example.com', 'alice-demo-password'),
    ]);
    alice = { onA, onB };
    const open = (name: string, base: string, credentials: ConstructorParameters<typeof StreamClient>[1]) => {
      const client = new StreamClient(`${base}/api/v1/stream`, credentials);
      clients.push(client);
      return { name, client };
    };
    devices = [
      open('tab on A', a.url, { cookie: onA.cookie }),
      open('phone on A', a.url, { bearer: onA.token, headers: { 'X-Device-Id': 'phone' } }),
      open('tab on B', b.url, { cookie: onB.cookie }),
      open('laptop on B', b.url, { bearer: onB.token, headers: { 'X-Device-Id': 'laptop' } }),
    ];
    await Promise.all(devices.map((d) => d.client.waitForOpen()));
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await database?.drop();
  });

  const create = async (base: string, credentials: LoggedIn, title: string): Promise<string> => {
    const res = await request<{ id: string }>(base, 'POST', '/api/v1/notifications', { bearer: credentials.token, body: { title } });
    expect(res.status).toBe(201);
    return res.body.id;
  };

  /**
   * Every device has received `count` must-deliver entries, exactly the ones in the log, each once and
   * in cursor order; and the newest of the log's `notification.counts` (latest-wins: a device may skip
   * older ones) has reached every device too.
   */
  const everyDeviceHas = async (count: number, timeoutMs = 15_000): Promise<void> => {
    await Promise.all(
      devices.map((d) =>
        d.client.waitUntil(() => entriesOf(d.client).length >= count, `${count} events on the ${d.name}`, timeoutMs),
      ),
    );
    const log = await request<{ events: { cursor: number; type: string; event: { data: { version?: number } } }[] }>(
      a.url, 'GET', '/api/v1/events?after=0&limit=500', { bearer: alice.onA.token },
    );
    const mustDeliver = log.body.events.filter((e) => e.type !== 'notification.counts').map((e) => e.cursor);
    const newestCounts = log.body.events.filter((e) => e.type === 'notification.counts').at(-1);
    expect(mustDeliver).toHaveLength(count);
    for (const d of devices) {
      expect(entriesOf(d.client).map((e) => Number(e.id))).toEqual(mustDeliver);
      if (newestCounts) {
        await d.client.waitUntil(() => d.client.ofType('notification.counts').some((e) => e.id === String(newestCounts.cursor)), `the newest counts on the ${d.name}`, timeoutMs);
      }
    }
  };

  it('delivers what either instance commits to the devices on both', async () => {
    const fromA = await create(a.url, alice.onA, 'created through A');
    const fromB = await create(b.url, alice.onB, 'created through B');
    const read = await request(a.url, 'PATCH', `/api/v1/notifications/${fromB}`, { cookie: alice.onA.cookie, body: { status: 'read' } });
    expect(read.status).toBe(200);

    await everyDeviceHas(3);
    for (const d of devices) {
      expect(entriesOf(d.client).map((e) => [e.type, (e.data.data as { notificationId: string }).notificationId])).toEqual([
        ['notification.created', fromA],
        ['notification.created', fromB],
        ['notification.read', fromB],
      ]);
    }
    // The same envelope everywhere: one event, fanned out, not re-created per instance.
    const envelopes = devices.map((d) => JSON.stringify(entriesOf(d.client)[2]!.data));
    expect(new Set(envelopes).size).toBe(1);
  });

  it("subscribes an instance to a user's shard only while it holds one of that user's devices", async () => {
    const admin = new Redis(redis.url);
    try {
      const bob = await logIn(a.url, 'bob@example.com', 'bob-demo-password');
      const shard = streamShardOf(bob.userId, 1024);
      // Alice's devices are on both instances; only if she shares Bob's shard is it subscribed already.
      const before = shard === streamShardOf(alice.onA.userId, 1024) ? 2 : 0;
      const subscribers = async (): Promise<number> => {
        const [, count] = (await admin.call('PUBSUB', 'NUMSUB', `${keyPrefix}stream-entries:${shard}`)) as [string, number];
        return Number(count);
      };
      expect(await subscribers()).toBe(before);

      const phone = new StreamClient(`${a.url}/api/v1/stream`, { bearer: bob.token });
      clients.push(phone);
      await phone.waitForOpen();
      // The open waited for the SUBSCRIBE, so it is in force now; B holds no device of Bob's.
      expect(await subscribers()).toBe(Math.max(before, 1));
      const id = await create(a.url, bob, 'for bob');
      await phone.waitUntil(() => entriesOf(phone).some((e) => (e.data.data as { notificationId: string }).notificationId === id), 'bob\'s event');

      phone.close();
      await eventually(async () => (await subscribers()) === before, "A's UNSUBSCRIBE after Bob's last device", 10_000);
    } finally {
      admin.disconnect();
    }
  });

  it('keeps working through a Redis outage and loses nothing committed meanwhile', async () => {
    const before = entriesOf(devices[0]!.client).length;
    await redis.stop();
    const degraded = await Promise.all([waitForReadiness(a.url, 'degraded'), waitForReadiness(b.url, 'degraded')]);
    for (const body of degraded) expect(body).toEqual({ status: 'degraded', checks: { database: 'up', redis: 'down' } });
    expect((await request(a.url, 'GET', '/health')).status).toBe(200);

    // Requests still succeed: the outbox keeps what cannot be published yet.
    const during = [await create(a.url, alice.onA, 'during outage, through A'), await create(b.url, alice.onB, 'during outage, through B')];

    await redis.start();
    await Promise.all([waitForReadiness(a.url, 'ready'), waitForReadiness(b.url, 'ready')]);
    await everyDeviceHas(before + during.length);
    for (const d of devices) {
      const ids = entriesOf(d.client)
        .slice(before)
        .map((e) => (e.data.data as { notificationId: string }).notificationId);
      expect(ids).toEqual(during);
    }

    // And live delivery works again afterwards, across instances.
    await create(b.url, alice.onB, 'after the outage');
    await everyDeviceHas(before + during.length + 1);
  });

  it('catches up an instance that was cut off, although no later event reveals the gap', async () => {
    const admin = new Redis(redis.url);
    try {
      await admin.call('ACL', 'SETUSER', 'b', 'off');
      await admin.call('CLIENT', 'KILL', 'USER', 'b');
      await waitForReadiness(b.url, 'degraded');

      // A publishes it (its devices get it live); B's subscription is down, so B's devices do not.
      const count = entriesOf(devices[0]!.client).length + 1;
      const missed = await create(a.url, alice.onA, 'while B is cut off');
      const onA = devices.filter((d) => d.name.endsWith('on A'));
      await Promise.all(onA.map((d) => d.client.waitUntil(() => entriesOf(d.client).length >= count, `the event on the ${d.name}`)));

      // Nothing else is published: only B's re-read on re-subscribing can bring it to B's devices.
      await admin.call('ACL', 'SETUSER', 'b', 'on');
      await everyDeviceHas(count);
      for (const d of devices) expect((entriesOf(d.client).at(-1)!.data.data as { notificationId: string }).notificationId).toBe(missed);
    } finally {
      await admin.call('ACL', 'SETUSER', 'b', 'on');
      admin.disconnect();
    }
  });

  it('ends a logged-out session\'s streams on the other instance too', async () => {
    const session = await logIn(a.url, 'alice@example.com', 'alice-demo-password');
    const onB = new StreamClient(`${b.url}/api/v1/stream`, { bearer: session.token });
    clients.push(onB);
    await onB.waitForOpen();

    expect((await request(a.url, 'POST', '/api/v1/auth/logout', { bearer: session.token })).status).toBe(204);

    await onB.waitUntil(() => onB.ofType('stream.closed').length > 0, 'stream.closed on B');
    expect(onB.ofType('stream.closed')[0]!.data).toMatchObject({ reason: 'session_revoked', reconnect: false });
    // Alice's other sessions are untouched. Counted before the create: the event may arrive before it answers.
    const count = entriesOf(devices[0]!.client).length + 1;
    await create(b.url, alice.onB, 'after a logout');
    await everyDeviceHas(count);
  });
});

/** The stored must-deliver entries a device received (not the latest-wins badge counts). */
function entriesOf(client: StreamClient) {
  return client.events.filter((e) => e.id !== '' && e.type !== 'notification.counts');
}

/** Polls `/ready` until it reports `status` (a readiness probe does the same); bounded by `timeoutMs`. */
async function waitForReadiness(base: string, status: string, timeoutMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const res = await request<{ status: string }>(base, 'GET', '/ready').catch((error: unknown) => ({ body: { status: String(error) } }));
    last = res.body;
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline) throw new Error(`${base}/ready never reported ${status}; last ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
