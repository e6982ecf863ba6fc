import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request, type LoggedIn } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture, type TestApp } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

/**
 * Two tenants, two apps, three users, on PostgreSQL: every route and both transports tried with every
 * other party's credentials. Tenant A has app X and users a1, a2 (a2 did not install X); tenant B has
 * app Y and user b1.
 */
describe('isolation between tenants, apps and users', () => {
  let t: TestApi;
  let p: PlatformFixture;
  let x: TestApp;
  let y: TestApp;
  let a1: LoggedIn;
  let a2: LoggedIn;
  let b1: LoggedIn;
  let typeX: string;
  let typeY: string;
  let noteOfA1: string;
  const streams: { owner: string; sse: StreamClient; ws: WsDeliveryClient }[] = [];

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN } });
    p = new PlatformFixture(t.baseUrl);
    const [tenantA, tenantB] = [await p.tenant('A'), await p.tenant('B')];
    x = await p.registerApp(tenantA, 'appx', ['events:publish', 'notifications:write', 'events:read', 'webhooks:manage']);
    y = await p.registerApp(tenantB, 'appy', ['events:publish', 'notifications:write', 'events:read', 'webhooks:manage']);
    [typeX, typeY] = [await p.declareTaskAssigned(x), await p.declareTaskAssigned(y)];
    [a1, a2, b1] = [await p.user(tenantA), await p.user(tenantA), await p.user(tenantB)];
    await p.install(a1, x.id);
    await p.install(b1, y.id);
    for (const [owner, user] of [['a1', a1], ['a2', a2], ['b1', b1]] as const) {
      const sse = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: user.token }, [typeX, typeY]);
      const ws = new WsDeliveryClient(t.baseUrl, { bearer: user.token });
      streams.push({ owner, sse, ws });
    }
    await Promise.all(streams.flatMap((s) => [s.sse.waitForOpen(), s.ws.waitForOpen()]));
    const note = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: a1.token, body: { title: 'a1 only' } });
    noteOfA1 = note.body.id;
  });

  afterAll(async () => {
    for (const s of streams) {
      s.sse.close();
      s.ws.close();
    }
    await t?.stop();
  });

  const publish = (app: TestApp, type: string, userId: string, subject: string) =>
    p.app(app, 'POST', '/events', { type, subject, data: { taskId: subject }, audience: { userId } });

  it("refuses every app route with another app's key (404), a user's token (401) or none (401)", async () => {
    const body = { type: typeY, subject: 's', data: { taskId: 's' }, audience: { userId: b1.userId } };
    const routes: [string, string, unknown][] = [
      ['POST', '/events', body],
      ['GET', '/events', undefined],
      ['POST', '/notifications', { userId: b1.userId, title: 'x' }],
      ['POST', '/event-types', { type: `${y.slug}.other`, version: 1, schema: {} }],
    ];
    for (const [method, path, payload] of routes) {
      await expect(p.app({ id: y.id, key: x.key }, method, path, payload)).resolves.toMatchObject({ status: 404 });
      await expect(p.app({ id: y.id, key: b1.token }, method, path, payload)).resolves.toMatchObject({ status: 401 });
      await expect(request(t.baseUrl, method, `/api/v1/apps/${y.id}${path}`, payload === undefined ? {} : { body: payload })).resolves.toMatchObject({ status: 401 });
    }
  });

  it('lets an app reach only users of its tenant who installed it', async () => {
    await expect(publish(x, typeX, b1.userId, 'cross-tenant')).resolves.toMatchObject({ status: 403, body: { error: { code: 'not_installed' } } });
    await expect(publish(x, typeX, a2.userId, 'not-installed')).resolves.toMatchObject({ status: 403 });
    await expect(publish(x, typeY, a1.userId, 'foreign-type')).resolves.toMatchObject({ status: 400, body: { error: { field: 'type' } } });
    await expect(p.app(x, 'POST', '/notifications', { userId: b1.userId, title: 'x' })).resolves.toMatchObject({ status: 403 });
    const tenantWide = await p.app(x, 'POST', '/events', { type: typeX, subject: 'all-of-x', data: { taskId: 'all' }, audience: { tenant: true } });
    expect(tenantWide.body).toMatchObject({ recipients: 1 });
    await expect(publish(x, typeX, a1.userId, 'for-a1')).resolves.toMatchObject({ status: 201 });
    await expect(publish(y, typeY, b1.userId, 'for-b1')).resolves.toMatchObject({ status: 201 });
  });

  it("never lets a user install, uninstall or see another tenant's app", async () => {
    await expect(request(t.baseUrl, 'PUT', `/api/v1/me/apps/${y.id}`, { bearer: a1.token })).resolves.toMatchObject({ status: 404 });
    await expect(request(t.baseUrl, 'DELETE', `/api/v1/me/apps/${y.id}`, { bearer: a1.token })).resolves.toMatchObject({ status: 404 });
    await expect(request(t.baseUrl, 'PUT', `/api/v1/me/apps/${x.id}`, { bearer: x.key })).resolves.toMatchObject({ status: 401 });
  });

  it("keeps notifications, polling and the app event list to their owners", async () => {
    await expect(request(t.baseUrl, 'PATCH', `/api/v1/notifications/${noteOfA1}`, { bearer: b1.token, body: { status: 'read' } })).resolves.toMatchObject({ status: 404 });
    await expect(request(t.baseUrl, 'PATCH', `/api/v1/notifications/${noteOfA1}`, { bearer: a2.token, body: { status: 'read' } })).resolves.toMatchObject({ status: 404 });
    for (const user of [a2, b1]) {
      const list = await request<{ items: { id: string }[] }>(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: user.token });
      expect(list.body.items.map((n) => n.id)).not.toContain(noteOfA1);
      const polled = await request<{ items: { event: { subject: string } }[] }>(t.baseUrl, 'GET', '/api/v1/events', { bearer: user.token });
      expect(JSON.stringify(polled.body)).not.toContain(noteOfA1);
      expect(JSON.stringify(polled.body)).not.toContain('for-a1');
    }
    const listedByX = await p.app<{ items: { appid: string; tenantid: string }[] }>(x, 'GET', '/events?limit=100');
    expect(listedByX.body.items.length).toBeGreaterThan(0);
    expect(listedByX.body.items.every((e) => e.appid === x.id)).toBe(true);
    await expect(p.app(x, 'GET', `/events?userId=${b1.userId}`)).resolves.toMatchObject({ body: { items: [] } });
    await expect(request(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: x.key })).resolves.toMatchObject({ status: 401 });
  });

  it('refuses the operator API to users and apps', async () => {
    const { tenantId } = (await request<{ tenantId: string }>(t.baseUrl, 'GET', '/api/v1/me', { bearer: a1.token })).body;
    for (const bearer of [a1.token, x.key]) {
      await expect(request(t.baseUrl, 'GET', '/api/v1/admin/tenants', { bearer })).resolves.toMatchObject({ status: 401 });
      await expect(request(t.baseUrl, 'POST', `/api/v1/admin/apps/${x.id}/keys`, { bearer, body: { scopes: ['events:read'] } })).resolves.toMatchObject({ status: 401 });
      await expect(request(t.baseUrl, 'PATCH', `/api/v1/admin/tenants/${tenantId}`, { bearer, body: { disabled: true } })).resolves.toMatchObject({ status: 401 });
      await expect(request(t.baseUrl, 'DELETE', `/api/v1/admin/tenants/${tenantId}`, { bearer })).resolves.toMatchObject({ status: 401 });
    }
    await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: a1.token })).resolves.toMatchObject({ status: 200, body: { tenantId } });
  });

  it('delivers on both transports only what belongs to each user', async () => {
    const [sa1, sa2, sb1] = streams;
    await sa1!.sse.waitForEvent(typeX, (e) => e.subject === 'for-a1');
    await sa1!.ws.waitUntil(() => sa1!.ws.events.some((e) => e.data.subject === 'for-a1'), 'for-a1 on WS');
    await sb1!.sse.waitForEvent(typeY, (e) => e.subject === 'for-b1');
    await sb1!.ws.waitUntil(() => sb1!.ws.events.some((e) => e.data.subject === 'for-b1'), 'for-b1 on WS');
    // A stream refuses an app key outright.
    const withKey = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: x.key });
    await expect(withKey.waitForHttpError()).resolves.toBe(401);
    withKey.close();

    const seen = (s: (typeof streams)[number]) => JSON.stringify([s.sse.events, s.ws.events]);
    expect(seen(sa1!)).not.toContain('for-b1');
    for (const leak of ['for-a1', 'for-b1', 'all-of-x', noteOfA1]) expect(seen(sa2!)).not.toContain(leak);
    for (const leak of ['for-a1', 'all-of-x', noteOfA1]) expect(seen(sb1!)).not.toContain(leak);
    expect(seen(sb1!)).not.toContain(x.id);
  });
});
