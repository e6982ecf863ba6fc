import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture } from '../support/platform-fixture.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** The webhooks API (#11) authorizes an app's own API keys (#10), by scope, beside the operator's token. */
describe("the webhooks API with an app's API key", () => {
  let t: TestApi;
  let p: PlatformFixture;
  const subscription = { url: 'http://127.0.0.1:9/placeholder', eventTypes: ['notification.created'], enabled: false };

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', APP_KEY_RATE_LIMIT_PER_MINUTE: '5' } });
    p = new PlatformFixture(t.baseUrl);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('lets a key with webhooks:manage manage its app, refuses 403 without the scope and 404 for another app', async () => {
    const tenantId = await p.tenant();
    const app = await p.registerApp(tenantId, 'hooked', ['webhooks:manage']);
    const other = await p.registerApp(tenantId, 'otherapp', ['webhooks:manage']);
    const noScope = await p.key(app.id, ['events:publish']);

    const created = await p.app(app, 'POST', '/webhooks', subscription);
    expect(created.status).toBe(201);
    await expect(p.app(app, 'GET', '/webhooks')).resolves.toMatchObject({ status: 200, body: { items: [expect.objectContaining({ id: created.body.id })] } });
    await expect(p.app({ id: app.id, key: noScope.key }, 'GET', '/webhooks')).resolves.toMatchObject({ status: 403 });
    await expect(p.app({ id: app.id, key: other.key }, 'GET', '/webhooks')).resolves.toMatchObject({ status: 404 });
    await expect(request(t.baseUrl, 'GET', `/api/v1/apps/${app.id}/webhooks`, { bearer: 'pk_not_a_key' })).resolves.toMatchObject({ status: 401 });
    // The operator's token still acts for every app.
    await expect(request(t.baseUrl, 'GET', `/api/v1/apps/${app.id}/webhooks`, { bearer: PLATFORM_ADMIN_TOKEN })).resolves.toMatchObject({ status: 200 });
  });

  it('limits the changing webhook routes per app (APP_KEY_RATE_LIMIT_PER_MINUTE), not the reads', async () => {
    const tenantId = await p.tenant();
    const app = await p.registerApp(tenantId, 'busy', ['webhooks:manage']);
    const calm = await p.registerApp(tenantId, 'calm', ['webhooks:manage']);
    const created = await p.app(app, 'POST', '/webhooks', subscription);
    expect(created.status).toBe(201);
    for (let i = 0; i < 4; i += 1) expect((await p.app(app, 'PATCH', `/webhooks/${String(created.body.id)}`, { description: `change ${i}` })).status).toBe(200);
    const limited = await p.app(app, 'POST', `/webhooks/${String(created.body.id)}/rotate-secret`);
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-policy')).toContain('"webhook-writes"; q=5');
    // The same app may still read; the operator acting for it counts against it too; another app is not affected.
    await expect(p.app(app, 'GET', `/webhooks/${String(created.body.id)}`)).resolves.toMatchObject({ status: 200 });
    await expect(request(t.baseUrl, 'DELETE', `/api/v1/apps/${app.id}/webhooks/${String(created.body.id)}`, { bearer: PLATFORM_ADMIN_TOKEN })).resolves.toMatchObject({ status: 429 });
    await expect(p.app(calm, 'POST', '/webhooks', subscription)).resolves.toMatchObject({ status: 201 });
  });
});
