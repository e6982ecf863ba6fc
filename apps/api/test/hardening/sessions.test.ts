import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { WebSocket } from 'ws';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from '../support/test-api.js';
import { wsUrl } from '../support/ws-delivery-client.js';

const SESSION_TTL_SECONDS = 600;

/** Issue #9, findings 1 and 9: a session has a real end, and a token is only as good as its session. */
describe('login sessions', () => {
  let t: TestApi;

  beforeAll(async () => {
    // Tokens would live an hour; the session only ten minutes: the session must win.
    t = await startTestApi({ env: { SESSION_TTL_SECONDS: String(SESSION_TTL_SECONDS), JWT_TTL_SECONDS: '3600' } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  const sign = (payload: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    jwt.sign(payload, TEST_JWT_SECRET, { algorithm: 'HS256', issuer: 'pushline', audience: 'pushline-api', ...options });
  const sessionRow = (id: string) => t.api.database.prisma.loginSession.findUnique({ where: { id } });
  const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;
  const refresh = (bearer: string) => request<{ accessToken: string; expiresIn: number }>(t.baseUrl, 'POST', '/api/v1/auth/refresh', { bearer });

  it('never issues a token that outlives the session, and refresh never moves the absolute end', async () => {
    const a = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const before = await sessionRow(sidOf(a.token));
    expect(before?.expiresAt.getTime()).toBeGreaterThan(Date.now());

    const b = await refresh(a.token);

    expect(b.status).toBe(200);
    expect(b.body.expiresIn).toBeLessThanOrEqual(SESSION_TTL_SECONDS);
    const after = await sessionRow(sidOf(a.token));
    expect(after?.expiresAt).toEqual(before?.expiresAt);
    expect((jwt.decode(b.body.accessToken) as { exp: number }).exp * 1000).toBeLessThanOrEqual(before!.expiresAt.getTime());
  });

  it('logout with the first token ends the refreshed one too, for the rest of the session', async () => {
    const a = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const b = (await refresh(a.token)).body.accessToken;

    expect((await request(t.baseUrl, 'POST', '/api/v1/auth/logout', { bearer: a.token })).status).toBe(204);

    expect((await request(t.baseUrl, 'GET', '/api/v1/me', { bearer: b })).status).toBe(401);
    expect((await refresh(b)).status).toBe(401);
    // The revocation is the session's, kept until the session's absolute end, not token A's expiry.
    const row = await sessionRow(sidOf(a.token));
    expect(row?.revokedAt).not.toBeNull();
    expect(row?.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ['no exp', () => sign({ email: 'alice@example.com', sid: 'x', tid: 'tenant-test', iat: Math.floor(Date.now() / 1000) }, { subject: 'u' })],
    ['no iat', () => sign({ email: 'alice@example.com', sid: 'x', tid: 'tenant-test', exp: 4_000_000_000 }, { subject: 'u', noTimestamp: true })],
    ['no sid', () => sign({ email: 'alice@example.com' }, { subject: 'u', expiresIn: 600 })],
  ])('refuses a correctly signed token with %s with 401 on every route, logout included', async (_, make) => {
    const token = make();
    for (const [method, path] of [['GET', '/api/v1/me'], ['POST', '/api/v1/auth/logout'], ['POST', '/api/v1/auth/refresh'], ['GET', '/api/v1/stream']] as const) {
      const res = await request(t.baseUrl, method, path, { bearer: token });
      expect({ path, status: res.status, code: (res.body.error as { code?: string })?.code }).toEqual({ path, status: 401, code: 'unauthenticated' });
    }
  });

  it('refuses 401 everywhere a valid token of a session that was never stored', async () => {
    const token = sign({ email: 'ghost@example.com', sid: 'never-stored', tid: 'tenant-test' }, { subject: 'no-such-user', expiresIn: 600 });
    expect((await request(t.baseUrl, 'GET', '/api/v1/stream', { bearer: token })).status).toBe(401);
    expect((await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: token, body: { title: 'x' } })).status).toBe(401);
    expect(await upgradeStatus(token)).toBe(401);
  });

  it('refuses 401 everywhere the token of a user that was deleted', async () => {
    const id = 'doomed-user';
    await t.api.database.prisma.user.create({ data: { id, tenantId: 'tenant-test', email: 'doomed@example.com', passwordHash: 'x', createdAt: new Date() } });
    const session = { id: 'doomed-session', tenantId: 'tenant-test', userId: id, createdAt: new Date(), expiresAt: new Date(Date.now() + 600_000), idleExpiresAt: new Date(Date.now() + 600_000) };
    await t.api.database.prisma.loginSession.create({ data: session });
    const token = sign({ email: 'doomed@example.com', sid: session.id, tid: 'tenant-test' }, { subject: id, expiresIn: 600 });
    expect((await request(t.baseUrl, 'GET', '/api/v1/me', { bearer: token })).status).toBe(200);

    await t.api.database.prisma.user.delete({ where: { id } });

    expect((await request(t.baseUrl, 'GET', '/api/v1/stream', { bearer: token })).status).toBe(401);
    const created = await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: token, body: { title: 'x' } });
    expect(created.status).toBe(401);
    expect(await upgradeStatus(token)).toBe(401);
  });

  it('refuses a token of another user’s session', async () => {
    const alice: LoggedIn = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const bob: LoggedIn = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    const forged = sign({ email: 'bob@example.com', sid: sidOf(alice.token) }, { subject: bob.userId, expiresIn: 600 });
    expect((await request(t.baseUrl, 'GET', '/api/v1/me', { bearer: forged })).status).toBe(401);
  });

  function upgradeStatus(token: string): Promise<number> {
    const socket = new WebSocket(wsUrl(t.baseUrl, {}), { headers: { Authorization: `Bearer ${token}` } });
    return new Promise((resolve) => {
      socket.on('open', () => {
        socket.close();
        resolve(101);
      });
      socket.on('error', () => undefined);
      socket.on('unexpected-response', (_req, res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
    });
  }
});
