import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisServerProcess } from '@pushline/broker-redis/testing';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import { ApiProcess } from '../support/api-process.js';
import { eventually } from '../support/eventually.js';
import { logIn, request } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PLATFORM_PASSWORD } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';

const TYPE = 'maintenance.scheduled';

/**
 * Two API processes on one PostgreSQL and one Redis: an operator broadcast committed through A reaches
 * the tenant's devices on B through the broker (one entry for the tenant, fanned out by each instance
 * to its own devices of that tenant), and a device that resumes on B after missing it gets it there.
 */
describe('a tenant broadcast across two instances over Redis', () => {
  let redis: RedisServerProcess;
  let database: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    [redis, database] = await Promise.all([RedisServerProcess.start(), createTestDatabase('postgres')]);
    await database.dispose({ keep: true });
    const env = { EVENT_BUS: 'redis', REDIS_URL: redis.url, REDIS_KEY_PREFIX: `pushline-test:${randomUUID()}:`, ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN };
    [a, b] = await Promise.all([
      ApiProcess.start({ databaseUrl: database.url!, env: { ...env, SEED_DEMO: '1', INSTANCE_ID: 'a' } }),
      ApiProcess.start({ databaseUrl: database.url!, env: { ...env, SEED_DEMO: '0', INSTANCE_ID: 'b' } }),
    ]);
    await Promise.all([a, b].map((api) => eventually(async () => (await request(api.url, 'GET', '/ready').catch(() => ({ status: 0 }))).status === 200, `${api.url} ready`)));
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await database?.drop();
  });

  const admin = (path: string, body: unknown) => request(a.url, 'POST', `/api/v1/admin${path}`, { bearer: PLATFORM_ADMIN_TOKEN, body });
  const device = (base: string, token: string, lastEventId?: string) => {
    const client = new StreamClient(`${base}/api/v1/stream`, { bearer: token, ...(lastEventId && { headers: { 'Last-Event-ID': lastEventId } }) }, [TYPE]);
    clients.push(client);
    return client;
  };

  it('reaches the devices on both instances, and none of another tenant; a device resuming on B gets what it missed', async () => {
    const tenant = String((await admin('/tenants', { name: 'Acme' })).body.id);
    const other = String((await admin('/tenants', { name: 'Globex' })).body.id);
    const user = async (tenantId: string) => {
      const email = `r-${randomUUID()}@broadcast.test`;
      await admin(`/tenants/${tenantId}/users`, { email, password: PLATFORM_PASSWORD });
      return logIn(a.url, email, PLATFORM_PASSWORD);
    };
    const [u1, u2, outsider] = await Promise.all([user(tenant), user(tenant), user(other)]);
    const devices = [device(a.url, u1.token), device(b.url, u1.token), device(b.url, u2.token)];
    const foreign = device(b.url, outsider.token);
    await Promise.all([...devices, foreign].map((d) => d.waitForOpen()));

    const sent = await admin(`/tenants/${tenant}/events`, { type: TYPE, subject: 'db', data: { at: 'tonight' } });
    expect(sent.status).toBe(201);
    await Promise.all(devices.map((d) => d.waitUntil(() => d.ofType(TYPE).length > 0, 'the broadcast', 15_000)));
    for (const d of devices) expect(d.ofType(TYPE).map((e) => [e.id, e.data.id])).toEqual([['0.1', sent.body.id]]);

    const last = devices[2]!.ofType(TYPE)[0]!.id;
    devices[2]!.close();
    const missed = await admin(`/tenants/${tenant}/events`, { type: TYPE, subject: 'db', data: { at: 'later' } });
    const resumed = device(b.url, u2.token, last);
    await resumed.waitUntil(() => resumed.ofType(TYPE).length > 0, 'the missed broadcast on B', 15_000);
    expect(resumed.ofType(TYPE).map((e) => [e.id, e.data.id])).toEqual([['0.2', missed.body.id]]);
    expect(foreign.ofType(TYPE)).toEqual([]);
  });
});
