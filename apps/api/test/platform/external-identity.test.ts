import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hmacWithPublicKey, LocalIdentityProvider, unsignedToken, type SigningKey } from '@pushline/testing';
import { request } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

describe('bring your own login: tokens of an external issuer (JWKS)', () => {
  let idp: LocalIdentityProvider;
  let key: SigningKey;
  let t: TestApi;
  let p: PlatformFixture;
  let tenantId: string;
  const token = (sub: string, k = key, options: Parameters<LocalIdentityProvider['sign']>[2] = {}) =>
    idp.sign(k, { sub, 'https://pushline.test/tenant': tenantId, email: `${sub}@corp.test` }, options);
  const me = (bearer: string) => request<{ id: string; tenantId: string; email: string }>(t.baseUrl, 'GET', '/api/v1/me', { bearer });

  beforeAll(async () => {
    idp = await LocalIdentityProvider.start();
    key = await LocalIdentityProvider.key('RS256', 'k1');
    idp.rotate(key);
    t = await startTestApi({
      env: {
        ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN,
        AUTH_JWKS_URL: idp.jwksUrl,
        AUTH_ISSUER: idp.issuer,
        AUTH_AUDIENCE: 'pushline',
        AUTH_TENANT_CLAIM: 'https://pushline.test/tenant',
        AUTH_JWKS_COOLDOWN_MS: '0',
      },
    });
    p = new PlatformFixture(t.baseUrl);
    tenantId = await p.tenant('Corp');
  });

  afterAll(async () => {
    await t?.stop();
    await idp?.stop();
  });

  it('provisions the user on first use, then recognises them; they stream and publish', async () => {
    const bearer = await token('emp-1');
    const first = await me(bearer);
    expect(first).toMatchObject({ status: 200, body: { tenantId, email: 'emp-1@corp.test' } });
    await expect(me(await token('emp-1'))).resolves.toMatchObject({ body: { id: first.body.id } });

    const sse = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer });
    const ws = new WsDeliveryClient(t.baseUrl, { bearer });
    await Promise.all([sse.waitForOpen(), ws.waitForOpen()]);
    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer, body: { title: 'from my own login' } });
    expect(created.status).toBe(201);
    await sse.waitForEvent('notification.created', (e) => e.subject === created.body.id);
    await ws.waitUntil(() => ws.events.some((e) => e.data.subject === created.body.id), 'the notification on WS');

    // An app reaches the provisioned user once they installed it with their external token.
    const app = await p.registerApp(tenantId, 'corpapp');
    const type = await p.declareTaskAssigned(app);
    await expect(request(t.baseUrl, 'PUT', `/api/v1/me/apps/${app.id}`, { bearer })).resolves.toMatchObject({ status: 204 });
    const published = await p.app(app, 'POST', '/events', { type, subject: 'task/1', data: { taskId: '1' }, audience: { userId: first.body.id } });
    expect(published.status).toBe(201);
    sse.close();
    ws.close();
  });

  it('picks up a rotated signing key', async () => {
    const next = await LocalIdentityProvider.key('ES256', 'k2');
    idp.rotate(next);
    await expect(me(await token('emp-2', next))).resolves.toMatchObject({ status: 200 });
    await expect(me(await token('emp-2', key))).resolves.toMatchObject({ status: 401 });
    idp.rotate(key, next);
  });

  it('refuses forged, expired, wrong-issuer, wrong-audience, alg none and HS256-with-the-public-key tokens', async () => {
    const forger = await LocalIdentityProvider.key('RS256', 'k1');
    const hs256 = await hmacWithPublicKey(key, { sub: 'emp-1', 'https://pushline.test/tenant': tenantId }, idp.issuer);
    const refused = [
      await token('emp-1', forger),
      await token('emp-1', key, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await token('emp-1', key, { issuer: 'https://evil.example/' }),
      await token('emp-1', key, { audience: 'other-api' }),
      unsignedToken({ sub: 'emp-1', 'https://pushline.test/tenant': tenantId, iss: idp.issuer, aud: 'pushline', exp: Math.floor(Date.now() / 1000) + 600 }),
      hs256,
      await idp.sign(key, { sub: 'emp-9', 'https://pushline.test/tenant': 'no-such-tenant' }),
    ];
    for (const bearer of refused) {
      await expect(me(bearer)).resolves.toMatchObject({ status: 401 });
      const stream = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer });
      await expect(stream.waitForHttpError()).resolves.toBe(401);
      stream.close();
    }
  });

  it('keeps the built-in login working beside it, and refuses a disabled external user', async () => {
    const alice = await request<{ accessToken: string }>(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email: 'alice@example.com', password: 'alice-demo-password' } });
    await expect(me(alice.body.accessToken)).resolves.toMatchObject({ status: 200 });
    const bearer = await token('emp-3');
    const { body } = await me(bearer);
    await expect(p.admin('PATCH', `/users/${body.id}`, { disabled: true })).resolves.toMatchObject({ status: 200 });
    await expect(me(bearer)).resolves.toMatchObject({ status: 401 });
    await expect(request(t.baseUrl, 'POST', '/api/v1/auth/refresh', { bearer: await token('emp-1') })).resolves.toMatchObject({ status: 401 });
  });

  it("refuses a disabled tenant's tokens with tenant_disabled before provisioning anyone, and a deleted tenant's with 401", async () => {
    const otherTenant = await p.tenant('Corp Two');
    const bearer = await idp.sign(key, { sub: 'emp-9', 'https://pushline.test/tenant': otherTenant, email: 'emp-9@corp2.test' });
    await expect(p.admin('PATCH', `/tenants/${otherTenant}`, { disabled: true })).resolves.toMatchObject({ status: 200 });

    await expect(me(bearer)).resolves.toMatchObject({ status: 403, body: { error: { code: 'tenant_disabled' } } });
    await expect(p.admin('GET', `/tenants/${otherTenant}/users`)).resolves.toMatchObject({ body: { items: [] } });

    await expect(p.admin('DELETE', `/tenants/${otherTenant}`)).resolves.toMatchObject({ status: 204 });
    await expect(me(bearer)).resolves.toMatchObject({ status: 401 });
  });
});
