import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startApi, type RunningApi } from '../../src/server.js';
import { request } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture, type TestApp } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { TEST_JWT_SECRET } from '../support/test-api.js';

/** Two instances on one PostgreSQL and the shared Redis (EVENT_BUS=redis, a key prefix of their own). */
describe('two instances over Redis: write limits and user and tenant revocation hold across both', () => {
  let database: TestDatabase;
  let a: RunningApi;
  let b: RunningApi;
  let onA: PlatformFixture;
  let onB: PlatformFixture;
  let app: TestApp;
  let type: string;
  let userId: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await database.dispose({ keep: true });
    const env = {
      NODE_ENV: 'test',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url!,
      ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN,
      EVENT_BUS: 'redis',
      REDIS_KEY_PREFIX: `pushline-test:${randomUUID()}:`,
      APP_KEY_RATE_LIMIT_PER_MINUTE: '6',
    };
    const start = (instance: string) => {
      const config = loadConfig({ ...env, INSTANCE_ID: instance });
      return startApi(config, { logger: createLogger(config) });
    };
    [a, b] = [await start('a'), await start('b')];
    [onA, onB] = [new PlatformFixture(a.url), new PlatformFixture(b.url)];
    const tenantId = await onA.tenant();
    app = await onA.registerApp(tenantId, 'limited');
    type = await onA.declareTaskAssigned(app);
    const user = await onA.user(tenantId);
    await onA.install(user, app.id);
    userId = user.userId;
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('counts an API key across both instances and answers 429 with Retry-After and RateLimit headers', async () => {
    const body = { type, subject: 's', data: { taskId: 'x' }, audience: { userId } };
    const statuses: number[] = [];
    // The declaration above used one of the six; five more pass, spread over both instances.
    for (let i = 0; i < 5; i += 1) statuses.push((await (i % 2 ? onB : onA).app(app, 'POST', '/events', body)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);

    const limited = await onB.app(app, 'POST', '/events', body);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-policy')).toContain('"api-key-writes"; q=6; w=60');
    expect(limited.headers.get('ratelimit')).toContain('r=0');
    await expect(onA.app(app, 'POST', '/events', body)).resolves.toMatchObject({ status: 429 });
    // Reads are not limited.
    await expect(onA.app(app, 'GET', '/events')).resolves.toMatchObject({ status: 200 });
  });

  it('closes a disabled user’s streams on the other instance too', async () => {
    const tenantId = await onA.tenant('Other');
    const user = await onA.user(tenantId);
    const stream = new StreamClient(`${b.url}/api/v1/stream`, { bearer: user.token });
    await stream.waitForOpen();

    await expect(onA.admin('PATCH', `/users/${user.userId}`, { disabled: true })).resolves.toMatchObject({ status: 200 });

    await stream.waitForEvent('stream.closed', (data) => data.reason === 'session_revoked');
    stream.close();
  });

  it("closes every stream of a disabled tenant's users on both instances, and no other tenant's", async () => {
    const tenantId = await onA.tenant('Disabled');
    const [first, second] = [await onA.user(tenantId), await onA.user(tenantId)];
    const bystander = await onA.user(await onA.tenant('Bystander'));
    const streams = [
      new StreamClient(`${b.url}/api/v1/stream`, { bearer: first.token }),
      new StreamClient(`${b.url}/api/v1/stream`, { bearer: second.token }),
      new StreamClient(`${a.url}/api/v1/stream`, { bearer: second.token }),
    ];
    const untouched = new StreamClient(`${b.url}/api/v1/stream`, { bearer: bystander.token });
    await Promise.all([...streams, untouched].map((s) => s.waitForOpen()));

    await expect(onA.admin('PATCH', `/tenants/${tenantId}`, { disabled: true })).resolves.toMatchObject({ status: 200, body: { disabled: true } });

    await Promise.all(streams.map((s) => s.waitForEvent('stream.closed', (data) => data.reason === 'session_revoked')));
    for (const s of streams) s.close();
    // The bystander's stream still carries its events, published on the other instance, and was not closed.
    await expect(request(a.url, 'POST', '/api/v1/notifications', { bearer: bystander.token, body: { title: 'still here' } })).resolves.toMatchObject({ status: 201 });
    await untouched.waitForEvent('notification.created');
    expect(untouched.ofType('stream.closed')).toEqual([]);
    untouched.close();
  });
});
