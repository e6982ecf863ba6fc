import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HandlerWorker } from '../../src/jobs/handler-worker.js';
import { request, type LoggedIn } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture, type TestApp } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

type Prefs = { categories: Record<string, { critical: boolean; channels: Record<string, boolean> }> };

/** An app's events through its declared notification rule, end to end on a real server and database. */
describe('app notification rules', () => {
  let t: TestApi;
  let p: PlatformFixture;
  let tenantId: string;
  let app: TestApp;
  let type: string;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let carol: LoggedIn;
  const streams: StreamClient[] = [];
  const device = async (who: LoggedIn) => {
    const stream = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: who.token }, [type]);
    streams.push(stream);
    await stream.waitForOpen();
    return stream;
  };
  const appNotifications = async (who: LoggedIn) =>
    (await request<{ items: Record<string, unknown>[] }>(t.baseUrl, 'GET', `/api/v1/notifications?category=app.${app.slug}`, { bearer: who.token })).body.items;
  const rule = { eventType: '', title: 'Task {{title}} assigned', body: 'Task {{taskId}} is yours.', priority: 'high' };

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN } });
    p = new PlatformFixture(t.baseUrl);
    tenantId = await p.tenant();
    app = await p.registerApp(tenantId, 'workbuddy');
    type = await p.declareTaskAssigned(app);
    rule.eventType = type;
    [alice, bob, carol] = await Promise.all([p.user(tenantId), p.user(tenantId), p.user(tenantId)]);
    // Carol never installs the app.
    await Promise.all([p.install(alice, app.id), p.install(bob, app.id)]);
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    await t?.stop();
  });

  it('declares a rule (201), replaces it (200) and lists it', async () => {
    await expect(p.app(app, 'POST', '/notification-rules', { ...rule, title: 'first' })).resolves.toMatchObject({ status: 201, body: { eventType: type, category: 'app.workbuddy', priority: 'high' } });
    await expect(p.app(app, 'POST', '/notification-rules', rule)).resolves.toMatchObject({ status: 200, body: { title: rule.title } });
    const listed = await p.app<{ items: unknown[] }>(app, 'GET', '/notification-rules');
    expect(listed.body.items).toEqual([expect.objectContaining({ eventType: type, title: rule.title, body: rule.body, category: 'app.workbuddy' })]);
  });

  it('app publishes → each installed recipient\'s device receives notification.created; a user without the app gets none', async () => {
    const [alicePhone, carolPhone] = await Promise.all([device(alice), device(carol)]);

    const published = await p.app(app, 'POST', '/events', { type, subject: 'task/7', data: { taskId: 't-7', title: '<b>Review</b>' }, audience: { tenant: true } });
    expect(published).toMatchObject({ status: 201, body: { recipients: 2 } });

    await alicePhone.waitForEvent('notification.created', (e) => (e['data'] as { category: string }).category === 'app.workbuddy');
    const made = alicePhone.ofType('notification.created').map((e) => e.data['data'] as Record<string, unknown>);
    // Substituted as text: the page shows it with textContent, nothing is interpreted.
    expect(made).toEqual([expect.objectContaining({ title: 'Task <b>Review</b> assigned', body: 'Task t-7 is yours.', priority: 'high', category: 'app.workbuddy', source: `app:${app.id}` })]);
    expect(await appNotifications(bob)).toHaveLength(1); // one transaction per page: Bob's came with Alice's
    expect(await appNotifications(carol)).toEqual([]);
    expect(carolPhone.ofType('notification.created')).toEqual([]);

    // At-least-once: the same event handled again makes nothing new.
    const job = await t.api.database.prisma.eventHandlerJob.findFirstOrThrow({ where: { handler: 'app-notification-rules', eventId: String(published.body['id']) } });
    await t.api.database.prisma.eventHandlerJob.update({ where: { id: job.id }, data: { status: 'pending', runAt: new Date() } });
    await t.api.services.get(HandlerWorker).drain();
    expect(await appNotifications(alice)).toHaveLength(1);
  });

  it('the app\'s category is in the user\'s preferences; muting it stops the in-app copy', async () => {
    const prefs = await request<Prefs>(t.baseUrl, 'GET', '/api/v1/preferences', { bearer: bob.token });
    expect(prefs.body.categories['app.workbuddy']).toEqual({ critical: false, channels: { in_app: true, email: false, web_push: false, webhook: true } });
    expect((await request<Prefs>(t.baseUrl, 'GET', '/api/v1/preferences', { bearer: carol.token })).body.categories['app.workbuddy']).toBeUndefined();
    await expect(request(t.baseUrl, 'PUT', '/api/v1/preferences', { bearer: carol.token, body: { categories: { 'app.workbuddy': { channels: { in_app: false } } } } })).resolves.toMatchObject({
      status: 400,
      body: { error: { field: 'categories.app.workbuddy' } },
    });
    const muted = await request<Prefs>(t.baseUrl, 'PUT', '/api/v1/preferences', { bearer: bob.token, body: { categories: { 'app.workbuddy': { channels: { in_app: false } } } } });
    expect(muted.body.categories['app.workbuddy']?.channels.in_app).toBe(false);
    const alicePhone = await device(alice);
    const before = await appNotifications(bob);

    await p.app(app, 'POST', '/events', { type, subject: 'task/8', data: { taskId: 't-8', title: 'Muted' }, audience: { userIds: [alice.userId, bob.userId] } });

    await alicePhone.waitForEvent('notification.created', (e) => (e['data'] as { title: string }).title === 'Task Muted assigned');
    expect(await appNotifications(bob)).toEqual(before);
  });

  it('an event type without a rule makes no notification', async () => {
    const other = `${app.slug}.task.closed`;
    await p.app(app, 'POST', '/event-types', { type: other, version: 1, schema: { type: 'object' } });
    const alicePhone = await device(alice);
    await p.app(app, 'POST', '/events', { type: other, subject: 'task/9', data: {}, audience: { userId: alice.userId } });
    await p.app(app, 'POST', '/events', { type, subject: 'task/10', data: { taskId: 't-10', title: 'After' }, audience: { userId: alice.userId } });
    // Handled in order of the jobs: once the second event's notification is there, the first had its turn.
    await alicePhone.waitForEvent('notification.created', (e) => (e['data'] as { title: string }).title === 'Task After assigned');
    expect((await appNotifications(alice)).map((n) => n['title'])).not.toContain(other);
  });

  it('answers bad rules with a 400 naming the field, checks the scope, and deletes', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...rule, eventType: `${app.slug}.unknown` }, 'eventType'],
      [{ ...rule, title: 'Hi {{nope}}' }, 'title'],
      [{ ...rule, title: 'Hi {{ title }} {{' }, 'title'],
      [{ ...rule, body: '{{constructor.name}}' }, 'body'],
      [{ ...rule, title: '' }, 'title'],
      [{ ...rule, category: 'Bad!' }, 'category'],
      [{ ...rule, priority: 'loud' }, 'priority'],
      [{ ...rule, extra: 1 }, 'body'], // an unknown key: the request body as a whole
    ];
    for (const [body, field] of cases) {
      const res = await p.app(app, 'POST', '/notification-rules', body);
      expect([res.status, (res.body['error'] as { field?: string }).field ?? '']).toEqual([400, field]);
    }
    const { key: readOnly } = await p.key(app.id, ['events:read']);
    await expect(p.app({ id: app.id, key: readOnly }, 'POST', '/notification-rules', rule)).resolves.toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
    await expect(p.app({ id: app.id, key: readOnly }, 'GET', '/notification-rules')).resolves.toMatchObject({ status: 403 });
    const second = await p.registerApp(tenantId, 'second');
    await expect(p.app({ id: second.id, key: app.key }, 'GET', '/notification-rules')).resolves.toMatchObject({ status: 404 });

    await expect(p.app(app, 'POST', '/notification-rules', { ...rule, category: 'tasks' })).resolves.toMatchObject({ status: 200, body: { category: 'app.workbuddy.tasks' } });
    await expect(p.app(app, 'DELETE', `/notification-rules/${type}`)).resolves.toMatchObject({ status: 204 });
    await expect(p.app(app, 'DELETE', `/notification-rules/${type}`)).resolves.toMatchObject({ status: 404 });
    await expect(p.app(app, 'GET', '/notification-rules')).resolves.toMatchObject({ body: { items: [] } });
  });
});
