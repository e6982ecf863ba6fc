import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn, request, type ApiResponse, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const wrongLogin = (baseUrl: string, email: string, headers: Record<string, string> = {}) =>
  request(baseUrl, 'POST', '/api/v1/auth/login', { body: { email, password: 'wrong password' }, headers });

const expectRateLimited = (res: ApiResponse) => {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('ratelimit')).toMatch(/; r=0; t=\d+/);
  expect(res.headers.get('ratelimit-policy')).toMatch(/q=\d+/);
};

/** Issue #9, findings 6 and 7. */
describe('rate limits', () => {
  describe('writes per user', () => {
    let t: TestApi;
    let alice: LoggedIn;
    let bob: LoggedIn;

    beforeAll(async () => {
      t = await startTestApi({ env: { WRITE_RATE_LIMIT_PER_MINUTE: '5' } });
      [alice, bob] = await Promise.all([logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'), logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password')]);
    });

    afterAll(async () => {
      await t?.stop();
    });

    it('answers 429 with Retry-After and RateLimit headers past the limit, writes nothing, and leaves other users alone', async () => {
      const create = (as: LoggedIn) => request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: as.token, body: { title: 'n' } });
      for (let i = 0; i < 5; i++) expect((await create(alice)).status).toBe(201);

      expectRateLimited(await create(alice));
      expect((await request(t.baseUrl, 'POST', '/api/v1/presence/typing', { bearer: alice.token, body: { subject: 's' } })).status).toBe(429);
      expect(await t.api.database.prisma.notification.count({ where: { userId: alice.userId } })).toBe(5);
      expect((await create(bob)).status).toBe(201);
      // Reads are not limited by it.
      expect((await request(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: alice.token })).status).toBe(200);
    });
  });

  describe('login', () => {
    let t: TestApi;

    beforeAll(async () => {
      t = await startTestApi({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '10', LOGIN_ACCOUNT_FAILURES_PER_HOUR: '20' } });
    });

    afterAll(async () => {
      await t?.stop();
    });

    it('ignores forged X-Forwarded-For (TRUST_PROXY off): the address limit holds', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 30; i++) answers.push((await wrongLogin(t.baseUrl, `nobody${i}@example.com`, { 'X-Forwarded-For': `203.0.113.${i}` })).status);
      expect(answers.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(answers.slice(10)).toEqual(Array(20).fill(429));
      expectRateLimited(await wrongLogin(t.baseUrl, 'nobody@example.com'));
    });
  });

  describe('login behind a trusted proxy', () => {
    let t: TestApi;

    beforeAll(async () => {
      t = await startTestApi({ env: { TRUST_PROXY: 'loopback', LOGIN_RATE_LIMIT_PER_MINUTE: '100', LOGIN_ACCOUNT_FAILURES_PER_HOUR: '3' } });
    });

    afterAll(async () => {
      await t?.stop();
    });

    it('limits failed logins per account, whatever address they come from; successes do not count', async () => {
      expect((await request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email: 'bob@example.com', password: 'bob-demo-password' } })).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await wrongLogin(t.baseUrl, ' Alice@Example.com', { 'X-Forwarded-For': `198.51.100.${i}` })).status).toBe(401);

      expectRateLimited(await wrongLogin(t.baseUrl, 'alice@example.com', { 'X-Forwarded-For': '198.51.100.99' }));
      const right = await request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email: 'alice@example.com', password: 'alice-demo-password' }, headers: { 'X-Forwarded-For': '198.51.100.98' } });
      expect(right.status).toBe(429);
      // Another account is not affected.
      expect((await request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email: 'bob@example.com', password: 'bob-demo-password' } })).status).toBe(200);
    });
  });

  describe('on several instances (EVENT_BUS=redis)', () => {
    let a: TestApi;
    let b: TestApi;

    beforeAll(async () => {
      const env = { EVENT_BUS: 'redis', REDIS_KEY_PREFIX: `pushline-test:${randomUUID()}:`, LOGIN_ACCOUNT_FAILURES_PER_HOUR: '3' };
      [a, b] = await Promise.all([startTestApi({ env }), startTestApi({ env })]);
    });

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
    });

    it('counts against one limit in Redis', async () => {
      expect((await wrongLogin(a.baseUrl, 'alice@example.com')).status).toBe(401);
      expect((await wrongLogin(a.baseUrl, 'alice@example.com')).status).toBe(401);
      expect((await wrongLogin(b.baseUrl, 'alice@example.com')).status).toBe(401);
      expectRateLimited(await wrongLogin(b.baseUrl, 'alice@example.com'));
      expectRateLimited(await wrongLogin(a.baseUrl, 'alice@example.com'));
    });
  });
});
