import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ports } from '../../src/composition/ports.js';
import type { LoggedIn } from '../support/http-client.js';
import { request } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture, type TestApp } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

describe('an app publishing with an API key', () => {
  let t: TestApi;
  let p: PlatformFixture;
  let tenantId: string;
  let app: TestApp;
  let type: string;
  let installed: LoggedIn;
  let other: LoggedIn;
  const task = (taskId = 't-1') => ({ type, subject: `task/${taskId}`, data: { taskId, title: 'Review' } });
  const storedEvents = () => t.api.database.prisma.event.count({ where: { appId: app.id } });

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN } });
    p = new PlatformFixture(t.baseUrl);
    tenantId = await p.tenant();
    app = await p.registerApp(tenantId, 'workbuddy');
    type = await p.declareTaskAssigned(app);
    installed = await p.user(tenantId);
    other = await p.user(tenantId);
    await p.install(installed, app.id);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('reaches both devices of a user who installed it, on SSE and WebSocket', async () => {
    const sse = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: installed.token }, [type]);
    const ws = new WsDeliveryClient(t.baseUrl, { bearer: installed.token });
    await Promise.all([sse.waitForOpen(), ws.waitForOpen()]);

    const res = await p.app(app, 'POST', '/events', { ...task('t-2'), audience: { userId: installed.userId } });

    expect(res).toMatchObject({ status: 201, body: { id: expect.any(String), recipients: 1 } });
    await sse.waitForEvent(type, (e) => e.id === res.body.id);
    await ws.waitUntil(() => ws.events.some((e) => e.type === type && e.data.id === res.body.id), 'the app event on WS');
    const envelope = sse.ofType(type).find((e) => e.data.id === res.body.id)!.data;
    expect(envelope).toMatchObject({ type, subject: 'task/t-2', data: { taskId: 't-2' }, appid: app.id, tenantid: tenantId, source: `/pushline/apps/${app.id}` });
    sse.close();
    ws.close();
  });

  it('refuses a user who has not installed it, and then writes nothing for anyone in the request', async () => {
    const before = await storedEvents();
    await expect(p.app(app, 'POST', '/events', { ...task(), audience: { userId: other.userId } })).resolves.toMatchObject({ status: 403, body: { error: { code: 'not_installed' } } });
    await expect(p.app(app, 'POST', '/events', { ...task(), audience: { userIds: [installed.userId, other.userId] } })).resolves.toMatchObject({ status: 403 });
    await expect(p.app(app, 'POST', '/notifications', { userIds: [installed.userId, other.userId], title: 'x' })).resolves.toMatchObject({ status: 403 });
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a user after they uninstalled it, and accepts them again after reinstalling', async () => {
    const user = await p.user(tenantId);
    await p.install(user, app.id);
    await expect(p.app(app, 'POST', '/events', { ...task(), audience: { userId: user.userId } })).resolves.toMatchObject({ status: 201 });
    await expect(request(t.baseUrl, 'DELETE', `/api/v1/me/apps/${app.id}`, { bearer: user.token })).resolves.toMatchObject({ status: 204 });
    await expect(p.app(app, 'POST', '/events', { ...task(), audience: { userId: user.userId } })).resolves.toMatchObject({ status: 403, body: { error: { code: 'not_installed' } } });
    await expect(request(t.baseUrl, 'DELETE', `/api/v1/me/apps/${app.id}`, { bearer: user.token })).resolves.toMatchObject({ status: 404 });
  });

  it('answers bad input with a 400 naming the field', async () => {
    const to = { audience: { userId: installed.userId } };
    const cases: [unknown, string][] = [
      [{ ...task(), type: `${app.slug}.unknown`, ...to }, 'type'],
      [{ ...task(), data: { title: 'no id' }, ...to }, 'data.taskId'],
      [{ ...task(), data: { taskId: 5 }, ...to }, 'data.taskId'],
      [{ ...task(), subject: '', ...to }, 'subject'],
      [{ ...task(), audience: {} }, 'audience'],
      [{ ...task(), audience: { userId: 'a', tenant: true } }, 'audience'],
      [{ ...task(), audience: { userIds: Array.from({ length: 1001 }, () => randomUUID()) } }, 'audience.userIds'],
      [{ ...task(), data: { taskId: 'x'.repeat(17_000) }, ...to }, 'data'],
    ];
    for (const [body, field] of cases) {
      const res = await p.app(app, 'POST', '/events', body);
      expect([res.status, res.body]).toEqual([400, { error: expect.objectContaining({ field }) }]);
    }
    await expect(p.app(app, 'POST', '/notifications', { userId: installed.userId, title: '' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'title' } } });
    await expect(p.app(app, 'POST', '/event-types', { type: 'other.task.done', version: 1, schema: {} })).resolves.toMatchObject({ status: 400, body: { error: { field: 'type' } } });
    await expect(p.app(app, 'POST', '/event-types', { type: `${app.slug}.x`, version: 1, schema: { type: 'nope' } })).resolves.toMatchObject({ status: 400, body: { error: { field: 'schema' } } });
    await expect(p.app(app, 'POST', '/event-types', { type, version: 1, schema: {} })).resolves.toMatchObject({ status: 409, body: { error: { field: 'version' } } });
  });

  it('checks the key: unknown or revoked 401, without the scope 403, of another app 404', async () => {
    const to = { ...task(), audience: { userId: installed.userId } };
    await expect(p.app({ id: app.id, key: 'plk_aaaaaaaaaaaa_' + 'b'.repeat(43) }, 'POST', '/events', to)).resolves.toMatchObject({ status: 401 });
    await expect(p.app({ id: app.id, key: installed.token }, 'POST', '/events', to)).resolves.toMatchObject({ status: 401 });
    const { key: readOnly } = await p.key(app.id, ['events:read']);
    await expect(p.app({ id: app.id, key: readOnly }, 'POST', '/events', to)).resolves.toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
    await expect(p.app({ id: app.id, key: readOnly }, 'POST', '/notifications', { userId: installed.userId, title: 'x' })).resolves.toMatchObject({ status: 403 });
    await expect(p.app({ id: app.id, key: readOnly }, 'GET', '/events')).resolves.toMatchObject({ status: 200 });
    const second = await p.registerApp(tenantId, 'second');
    await expect(p.app({ id: second.id, key: app.key }, 'GET', '/events')).resolves.toMatchObject({ status: 404 });
    const { key: revocable, id: keyId } = await p.key(app.id, ['events:publish']);
    await expect(t.api.database.prisma.apiKey.findUnique({ where: { id: keyId } })).resolves.toMatchObject({ lastUsedAt: null });
    await expect(p.app({ id: app.id, key: revocable }, 'POST', '/events', to)).resolves.toMatchObject({ status: 201 });
    await expect(t.api.database.prisma.apiKey.findUnique({ where: { id: keyId } })).resolves.toMatchObject({ lastUsedAt: expect.any(Date) });
    await expect(p.admin('DELETE', `/apps/${app.id}/keys/${keyId}`)).resolves.toMatchObject({ status: 204 });
    await expect(p.app({ id: app.id, key: revocable }, 'POST', '/events', to)).resolves.toMatchObject({ status: 401 });
    await expect(p.admin('DELETE', `/apps/${second.id}/keys/${keyId}`)).resolves.toMatchObject({ status: 404 });
    // Only a hash is stored, never the key.
    const stored = JSON.stringify(await t.api.database.prisma.apiKey.findMany());
    // The secret is everything after `plk_<12>_` (base64url, so it may itself contain `_`).
    expect(stored).not.toContain(revocable.slice('plk_'.length + 13));
  });

  it('commits a retried publish once under concurrent retries, and refuses the key with another body', async () => {
    const key = `retry-${randomUUID()}`;
    const before = await storedEvents();
    const body = { ...task('t-idem'), audience: { userId: installed.userId } };
    const answers = await Promise.all(Array.from({ length: 5 }, () => p.app(app, 'POST', '/events', body, { 'Idempotency-Key': key })));

    const ok = answers.filter((a) => a.status === 201);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(new Set(ok.map((a) => a.body.id)).size).toBe(1);
    expect(await storedEvents()).toBe(before + 1);
    await expect(p.app(app, 'POST', '/events', body, { 'Idempotency-Key': key })).resolves.toMatchObject({ status: 201, body: ok[0]!.body });
    await expect(p.app(app, 'POST', '/events', { ...body, subject: 'task/other' }, { 'Idempotency-Key': key })).resolves.toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_key_reused' } },
    });

    const first = await p.app(app, 'POST', '/notifications', { userId: installed.userId, title: 'once' }, { 'Idempotency-Key': key });
    const again = await p.app(app, 'POST', '/notifications', { userId: installed.userId, title: 'once' }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.body.ids).toEqual(first.body.ids);
    await expect(t.api.database.prisma.notification.count({ where: { userId: installed.userId, title: 'once' } })).resolves.toBe(1);
  });

  it('creates notifications for several users through the notification route', async () => {
    const second = await p.user(tenantId);
    await p.install(second, app.id);
    const sse = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: second.token });
    await sse.waitForOpen();

    const res = await p.app<{ ids: string[] }>(app, 'POST', '/notifications', { userIds: [installed.userId, second.userId], title: 'Standup', priority: 'high' });

    expect(res.status).toBe(201);
    expect(res.body.ids).toHaveLength(2);
    await sse.waitForEvent('notification.created', (envelope) => res.body.ids.includes(String(envelope.subject)));
    sse.close();
  });

  it("lists only the app's own events, filtered by type, user and time, a page at a time", async () => {
    const second = await p.registerApp(tenantId, 'listing');
    const secondType = await p.declareTaskAssigned(second);
    await p.install(installed, second.id);
    await p.app(second, 'POST', '/events', { type: secondType, subject: 's', data: { taskId: 'x' }, audience: { userId: installed.userId } });
    const [earlier] = (await p.app<{ items: { time: string }[] }>(second, 'GET', '/events')).body.items;
    const from = new Date(new Date(earlier!.time).getTime() + 1).toISOString();
    for (const id of ['l1', 'l2', 'l3']) await p.app(second, 'POST', '/events', { type: secondType, subject: id, data: { taskId: id }, audience: { userId: installed.userId } });

    const page1 = await p.app<{ items: { subject: string; appid: string }[]; nextCursor: string }>(second, 'GET', `/events?limit=2&from=${encodeURIComponent(from)}&userId=${installed.userId}`);
    expect(page1.body.items.map((e) => e.subject)).toEqual(['l3', 'l2']);
    const page2 = await p.app<{ items: { subject: string }[]; nextCursor: string | null }>(second, 'GET', `/events?limit=2&from=${encodeURIComponent(from)}&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((e) => e.subject)).toEqual(['l1']);
    expect(page2.body.nextCursor).toBeNull();
    const all = await p.app<{ items: { appid: string }[] }>(second, 'GET', '/events?limit=100');
    expect(all.body.items.every((e) => e.appid === second.id)).toBe(true);
    await expect(p.app(second, 'GET', `/events?type=${type}`)).resolves.toMatchObject({ body: { items: [] } });
    await expect(p.app(second, 'GET', `/events?userId=${other.userId}`)).resolves.toMatchObject({ body: { items: [] } });
    await expect(p.app(second, 'GET', '/events?from=yesterday')).resolves.toMatchObject({ status: 400, body: { error: { field: 'from' } } });
  });

  it("lists the app's declared types in its AsyncAPI document beside the catalog", async () => {
    const doc = await p.app<{ components: { messages: Record<string, { payload: { allOf: { properties?: { data?: unknown } }[] } }> }; channels: Record<string, { messages: Record<string, unknown> }> }>(app, 'GET', '/asyncapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.components.messages)).toEqual(expect.arrayContaining(['notification.created', type]));
    expect(doc.body.components.messages[type]!.payload.allOf[1]!.properties!.data).toMatchObject({ required: ['taskId'] });
    for (const channel of Object.values(doc.body.channels)) expect(channel.messages).toHaveProperty([type]);
    const other = await p.registerApp(tenantId, 'othertypes');
    const otherDoc = await p.app<{ components: { messages: Record<string, unknown> } }>(other, 'GET', '/asyncapi.json');
    expect(Object.keys(otherDoc.body.components.messages)).not.toContain(type);
  });

  it('publishes to 1,000 users in one commit, or to none of them', async () => {
    const installs = t.api.services.get(Ports.AppInstallationRepository);
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    // Set-up in two statements; the publish below is what is under test.
    const { prisma } = t.api.database;
    await prisma.user.createMany({ data: ids.map((id) => ({ id, tenantId, email: `${id}@bulk.test`, createdAt: new Date() })) });
    await prisma.appInstallation.createMany({ data: ids.slice(0, 999).map((userId) => ({ tenantId, appId: app.id, userId, createdAt: new Date() })) });
    const rows = () => t.api.database.prisma.streamEvent.count({ where: { userId: { in: ids } } });

    await expect(p.app(app, 'POST', '/events', { ...task('bulk'), audience: { userIds: ids } })).resolves.toMatchObject({ status: 403 });
    expect(await rows()).toBe(0);

    await installs.install({ tenantId, appId: app.id, userId: ids[999]!, createdAt: new Date() });
    const started = Date.now();
    await expect(p.app(app, 'POST', '/events', { ...task('bulk'), audience: { userIds: ids } })).resolves.toMatchObject({ status: 201, body: { recipients: 1000 } });
    console.log(`publish to 1,000 users: ${Date.now() - started} ms`);
    expect(await rows()).toBe(1000);
  }, 60_000);
});
