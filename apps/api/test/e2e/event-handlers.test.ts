import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventFactory, storeMaintenanceScheduled, storeOrderShipped } from '@pushline/domain';
import { PrismaHandlerJobQueue } from '@pushline/persistence-prisma';
import { Ports } from '../../src/composition/ports.js';
import { StreamClient } from '../support/stream-client.js';
import { HandlerWorker } from '../../src/jobs/handler-worker.js';
import { RetentionJob } from '../../src/jobs/retention-job.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const ADMIN_TOKEN = 'admin-token-for-the-handler-tests';

/** Event handlers fed from the outbox, on a real server and PostgreSQL: the audit log and dead letters. */
describe('event handlers', () => {
  let t: TestApi;
  let alice: LoggedIn;
  let bob: LoggedIn;
  const clients: StreamClient[] = [];
  const admin = (method: string, path: string) => request(t.baseUrl, method, `/api/v1/admin${path}`, { bearer: ADMIN_TOKEN });

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN, HANDLER_POLL_MS: '60000' } });
    [alice, bob] = await Promise.all([
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password'),
    ]);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  it('writes who did what, from which device, to the audit log with the change itself (no job); the operator queries it', async () => {
    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: 'audited' } });
    await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${created.body.id}`, { bearer: alice.token, headers: { 'X-Device-Id': 'phone-1' }, body: { status: 'read' } });
    // The worker polls once a minute here and is not drained: the rows committed with the changes (decision 57).
    await expect(t.api.database.prisma.eventHandlerJob.count({ where: { handler: 'audit-log' } })).resolves.toBe(0);

    const log = await admin('GET', `/audit-log?userId=${alice.userId}`);

    expect(log.status).toBe(200);
    const mine = (log.body['items'] as { type: string; subject: string; deviceId: string | null }[]).filter((e) => e.subject === created.body.id);
    expect(mine.map((e) => [e.type, e.deviceId])).toEqual([
      ['notification.read', 'phone-1'],
      ['notification.created', null],
    ]);
    expect((await admin('GET', '/audit-log?limit=0')).status).toBe(400);
    expect((await request(t.baseUrl, 'GET', '/api/v1/admin/audit-log', { bearer: alice.token })).status).toBe(401);
  });

  it('routes store.order_shipped to the customer only, after commit, and obeys the in-app preference', async () => {
    const [bobPhone, alicePhone] = [bob, alice].map((who) => new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: who.token }));
    clients.push(bobPhone!, alicePhone!);
    await Promise.all([bobPhone!.waitForOpen(), alicePhone!.waitForOpen()]);
    const ship = (orderId: string) =>
      t.api.services.get(Ports.UnitOfWork).run((tx) =>
        tx.events.publish([t.api.services.get(EventFactory).create(storeOrderShipped, orderId, { orderId, userId: bob.userId, trackingUrl: 'https://track.example/1' })]),
      );

    await ship('1');
    await t.api.services.get(HandlerWorker).drain();

    await bobPhone!.waitForEvent('notification.created', (e) => (e['data'] as { category: string }).category === 'orders');
    const made = bobPhone!.ofType('notification.created').map((e) => e.data['data'] as Record<string, unknown>);
    expect(made).toEqual([expect.objectContaining({ title: 'Your order has shipped', category: 'orders', source: 'rule:order-shipped', action: { url: 'https://track.example/1', label: 'Track', data: null } })]);
    expect(alicePhone!.ofType('notification.created')).toEqual([]);

    // Bob mutes the in-app copy of orders: the next shipment makes no notification.
    const prefs = await request<{ categories: Record<string, { critical: boolean; channels: Record<string, boolean> }> }>(t.baseUrl, 'PUT', '/api/v1/preferences', {
      bearer: bob.token,
      body: { categories: { orders: { channels: { in_app: false } } } },
    });
    expect(prefs.status).toBe(200);
    expect(prefs.body.categories['orders']).toEqual({ critical: false, channels: { in_app: false, email: true, web_push: true, webhook: true } });
    expect(prefs.body.categories['security']?.critical).toBe(true);
    await ship('2');
    await t.api.services.get(HandlerWorker).drain();
    const list = await request<{ items: { category: string }[] }>(t.baseUrl, 'GET', '/api/v1/notifications?category=orders', { bearer: bob.token });
    expect(list.body.items).toHaveLength(1);
    expect((await request(t.baseUrl, 'GET', '/api/v1/preferences', { bearer: bob.token })).body).toEqual(prefs.body);
  });

  it('routes a tenant-wide store.maintenance_scheduled to every active member of the tenant, once', async () => {
    const [bobPhone, alicePhone] = [bob, alice].map((who) => new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: who.token }));
    clients.push(bobPhone!, alicePhone!);
    await Promise.all([bobPhone!.waitForOpen(), alicePhone!.waitForOpen()]);
    const demoTenant = (await t.api.services.get(Ports.UserRepository).findById(alice.userId))!.tenantId;
    const event = t.api.services.get(EventFactory).create(storeMaintenanceScheduled, 'maintenance', { startsAt: '2026-12-24T22:00:00.000Z' }, { tenantId: demoTenant });

    await t.api.services.get(Ports.UnitOfWork).run((tx) => tx.events.publish([event]));
    await t.api.services.get(HandlerWorker).drain();

    const isMaintenance = (e: Record<string, unknown>) => (e['data'] as { category: string }).category === 'announcements';
    await Promise.all([bobPhone!, alicePhone!].map((phone) => phone.waitForEvent('notification.created', isMaintenance)));
    for (const phone of [bobPhone!, alicePhone!]) {
      expect(phone.ofType('notification.created').map((e) => e.data['data'] as Record<string, unknown>).filter((d) => d['category'] === 'announcements')).toEqual([
        expect.objectContaining({ title: 'Scheduled maintenance', priority: 'high', source: 'rule:maintenance-scheduled' }),
      ]);
    }
  });

  it.each<[string, unknown]>([
    ['categories.security.channels.email', { categories: { security: { channels: { email: false } } } }],
    ['categories.nope', { categories: { nope: { channels: { email: false } } } }],
    ['categories.orders.channels.email', { categories: { orders: { channels: { email: 'no' } } } }],
  ])('refuses a preference change with 400 naming %s', async (field, body) => {
    const res = await request(t.baseUrl, 'PUT', '/api/v1/preferences', { bearer: alice.token, body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed', field } });
  });

  it('lists dead letters for the operator and replays one', async () => {
    // A job for a handler that no longer exists is dead-lettered at once (nothing is dropped silently).
    const prisma = t.api.database.prisma;
    await prisma.eventHandlerJob.create({
      data: { handler: 'retired-handler', eventId: 'evt-retired', eventType: 'notification.read', envelope: { id: 'evt-retired', type: 'notification.read' }, runAt: new Date() },
    });
    await t.api.services.get(HandlerWorker).drain();

    const dead = await admin('GET', '/dead-letters?handler=retired-handler');
    const [letter] = dead.body['items'] as { id: string; handler: string; attempts: number; lastError: string }[];
    expect(letter).toMatchObject({ handler: 'retired-handler', attempts: 1, lastError: expect.stringContaining('no event handler named retired-handler') });

    const replayed = await admin('POST', `/dead-letters/${letter!.id}/replay`);
    expect(replayed.status).toBe(202);
    expect((await admin('POST', `/dead-letters/${letter!.id}/replay`)).status).toBe(404);
    const claimed = await new PrismaHandlerJobQueue(prisma).claim(new Date(), 100, new Date(Date.now() + 60_000));
    expect(claimed.filter((j) => j.handler === 'retired-handler')).toEqual([expect.objectContaining({ id: letter!.id, attempts: 1 })]);

    const metrics = await fetch(`${t.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/pushline_event_handler_runs_total\{[^}]*handler="notification-rules"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/pushline_event_handler_runs_total\{[^}]*handler="retired-handler"[^}]*outcome="dead"/);
  });

  it('purges a dead letter on the operator\'s word; retention removes succeeded jobs after HANDLER_JOB_RETENTION_DAYS and keeps dead ones', async () => {
    const prisma = t.api.database.prisma;
    await prisma.eventHandlerJob.createMany({
      data: ['evt-purge-1', 'evt-purge-2'].map((eventId) => ({ handler: 'purged-handler', eventId, eventType: 'notification.read', envelope: { id: eventId, type: 'notification.read' }, runAt: new Date() })),
    });
    await t.api.services.get(HandlerWorker).drain();
    const [first, second] = ((await admin('GET', '/dead-letters?handler=purged-handler')).body['items'] as { id: string }[]).map((d) => d.id);

    expect((await admin('DELETE', `/dead-letters/${first}`)).status).toBe(204);
    expect((await admin('DELETE', `/dead-letters/${first}`)).status).toBe(404);
    expect((await admin('DELETE', '/dead-letters/not-a-number')).status).toBe(400);
    expect((await request(t.baseUrl, 'DELETE', `/api/v1/admin/dead-letters/${second}`, { bearer: alice.token })).status).toBe(401);

    // Every succeeded job so far is made 8 days old (the default keeps 7); one stays recent.
    await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: 'kept job' } });
    await t.api.services.get(HandlerWorker).drain();
    const recent = await prisma.eventHandlerJob.findFirstOrThrow({ where: { status: 'done' }, orderBy: { id: 'desc' } });
    await prisma.eventHandlerJob.updateMany({ where: { status: { in: ['done', 'dead'] }, id: { not: recent.id } }, data: { updatedAt: new Date(Date.now() - 8 * 86_400_000) } });
    const oldDone = await prisma.eventHandlerJob.count({ where: { status: 'done', id: { not: recent.id } } });
    expect(oldDone).toBeGreaterThan(0);

    await t.api.services.get(RetentionJob).run();

    expect(await prisma.eventHandlerJob.count({ where: { status: 'done' } })).toBe(1);
    expect((await admin('GET', '/dead-letters?handler=purged-handler')).body['items']).toEqual([expect.objectContaining({ id: second })]);
  });
});
