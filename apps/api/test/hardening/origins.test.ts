import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

const PARTNER = 'https://app.partner.example';

/** Issue #9, finding 2: the session cookie works only for pages of the API's own origin and CORS_ORIGINS. */
describe('origin checks', () => {
  let t: TestApi;
  let alice: LoggedIn;
  let sameOrigin: string;
  /** Another port of the same host: same site, another origin. */
  let sibling: string;
  const clients: WsDeliveryClient[] = [];

  beforeAll(async () => {
    t = await startTestApi({ env: { CORS_ORIGINS: `${PARTNER}, http://localhost:1` } });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    sameOrigin = new URL(t.baseUrl).origin;
    sibling = `http://127.0.0.1:${t.api.port === 65_535 ? 65_534 : t.api.port + 1}`;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  const upgrade = async (origin: string | undefined, credentials: { cookie?: string; bearer?: string } = { cookie: alice.cookie }) => {
    const client = new WsDeliveryClient(t.baseUrl, { lastEventId: '0', ...credentials }, origin ? { Origin: origin } : {});
    clients.push(client);
    await client.waitUntil(() => client.opened || client.refusedWith !== undefined, 'the upgrade to be answered');
    return client.opened ? 101 : client.refusedWith;
  };

  it('refuses a WebSocket upgrade with the session cookie from another origin of the same site (403)', async () => {
    expect(await upgrade(sibling)).toBe(403);
    expect(await upgrade('null')).toBe(403);
  });

  it('accepts the upgrade from the API’s own origin, an allowed origin, or a client that sends none', async () => {
    expect(await upgrade(sameOrigin)).toBe(101);
    expect(await upgrade(PARTNER)).toBe(101);
    expect(await upgrade(undefined)).toBe(101);
  });

  it('refuses a cookie-authenticated write from a foreign origin, before it is written', async () => {
    const res = await request(t.baseUrl, 'POST', '/api/v1/notifications', { cookie: alice.cookie, headers: { Origin: sibling }, body: { title: 'forged' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'forbidden' }) });
    const logout = await request(t.baseUrl, 'POST', '/api/v1/auth/logout', { cookie: alice.cookie, headers: { Origin: 'https://evil.example' } });
    expect(logout.status).toBe(403);
    const login = await request(t.baseUrl, 'POST', '/api/v1/auth/login', { headers: { Origin: 'https://evil.example' }, body: { email: 'alice@example.com', password: 'alice-demo-password' } });
    expect(login.status).toBe(403);
    const list = await request<{ items: { title: string }[] }>(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: alice.token });
    expect(list.body.items.map((n) => n.title)).not.toContain('forged');
  });

  it('accepts cookie writes from the own and allowed origins, and Bearer writes from anywhere', async () => {
    for (const origin of [sameOrigin, PARTNER]) {
      const res = await request(t.baseUrl, 'POST', '/api/v1/notifications', { cookie: alice.cookie, headers: { Origin: origin }, body: { title: 'ok' } });
      expect({ origin, status: res.status }).toEqual({ origin, status: 201 });
    }
    const bearer = await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, headers: { Origin: sibling }, body: { title: 'ok' } });
    expect(bearer.status).toBe(201);
    // Reads are not state-changing: CORS (issue #10) decides who may read them.
    expect((await request(t.baseUrl, 'GET', '/api/v1/me', { cookie: alice.cookie, headers: { Origin: sibling } })).status).toBe(200);
  });
});
