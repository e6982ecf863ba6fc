import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { streamShardOf } from '@pushline/broker-redis';
import { RedisClusterProbe, testClusterNodes } from '@pushline/broker-redis/testing';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import { ApiProcess } from '../support/api-process.js';
import { eventually } from '../support/eventually.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';

/**
 * Two API processes on one PostgreSQL and a Redis Cluster (REDIS_CLUSTER_NODES, sharded pub/sub):
 * what either instance commits reaches the user's devices on both, and an instance listens to a
 * user's shard channel, on the node serving it, only while it holds one of that user's devices.
 */
describe('two API instances over a Redis Cluster', () => {
  const cluster = testClusterNodes();
  let probe: RedisClusterProbe;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let keyPrefix: string;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    probe = new RedisClusterProbe(cluster);
    database = await createTestDatabase('postgres');
    await database.dispose({ keep: true });
    const env = { EVENT_BUS: 'redis', REDIS_CLUSTER_NODES: cluster.join(','), REDIS_KEY_PREFIX: (keyPrefix = `pushline-test:${randomUUID()}:`), OUTBOX_POLL_MS: '200' };
    [a, b] = await Promise.all([
      ApiProcess.start({ databaseUrl: database.url!, env: { ...env, SEED_DEMO: '1', INSTANCE_ID: 'a' } }),
      ApiProcess.start({ databaseUrl: database.url!, env: { ...env, SEED_DEMO: '0', INSTANCE_ID: 'b' } }),
    ]);
    await Promise.all(
      [a, b].map((api) => eventually(async () => (await request<{ status: string }>(api.url, 'GET', '/ready').catch(() => ({ body: { status: '' } }))).body.status === 'ready', `${api.url} ready`)),
    );
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await probe?.close();
    await database?.drop();
  });

  const open = (base: string, user: LoggedIn, device: string) => {
    const client = new StreamClient(`${base}/api/v1/stream`, { bearer: user.token, headers: { 'X-Device-Id': device } });
    clients.push(client);
    return client;
  };
  const created = (client: StreamClient) => client.ofType('notification.created').map((e) => (e.data.data as { notificationId: string }).notificationId);

  it('delivers what either instance commits to the devices on both', async () => {
    const [onA, onB] = await Promise.all([logIn(a.url, 'alice@example.com', 'alice-demo-password'), logIn(b.url, 'alice@example.com', 'alice-demo-password')]);
    const devices = [open(a.url, onA, 'tab'), open(b.url, onB, 'phone')];
    await Promise.all(devices.map((d) => d.waitForOpen()));
    const ids: string[] = [];
    for (const [base, user] of [[a.url, onA], [b.url, onB]] as const) {
      const res = await request<{ id: string }>(base, 'POST', '/api/v1/notifications', { bearer: user.token, body: { title: `through ${base}` } });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await Promise.all(devices.map((d) => d.waitUntil(() => created(d).length >= 2, 'both notifications', 15_000)));
    for (const d of devices) expect(created(d)).toEqual(ids);
  });

  it("subscribes an instance to a user's shard channel, on its node, only while it holds one of that user's devices", async () => {
    const bob = await logIn(b.url, 'bob@example.com', 'bob-demo-password');
    const alice = await logIn(a.url, 'alice@example.com', 'alice-demo-password');
    const channel = `${keyPrefix}stream-entries:${streamShardOf(bob.userId, 1024)}`;
    // Alice's devices (previous test) are on both instances; only if she shares Bob's shard is it subscribed already.
    const before = streamShardOf(bob.userId, 1024) === streamShardOf(alice.userId, 1024) ? 2 : 0;
    expect(await probe.shardSubscribers(channel)).toBe(before);
    const phone = open(b.url, bob, 'bob-phone');
    await phone.waitForOpen();
    expect(await probe.shardSubscribers(channel)).toBe(before === 0 ? 1 : before);
    const res = await request<{ id: string }>(a.url, 'POST', '/api/v1/notifications', { bearer: bob.token, body: { title: 'to bob on B' } });
    await phone.waitUntil(() => created(phone).includes(res.body.id), "Bob's notification on B", 15_000);
    phone.close();
    await eventually(async () => (await probe.shardSubscribers(channel)) === before, 'the shard released on B');
  });
});
