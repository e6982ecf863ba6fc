import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { ExpireDueNotifications } from '@pushline/application';
import { Ports } from '../../src/composition/ports.js';
import { DEMO_TENANT } from '../../src/demo-users.js';

interface Counts {
  unseen: number;
  unread: number;
  version: number;
}
type Json = Record<string, unknown>;

/** Failure bound of every wait: generous, because the whole suite shares two cores. */
const WITHIN_MS = 30_000;

/**
 * The notification center over HTTP, against a real server, real `eventsource` clients and a real
 * PostgreSQL: the API shape, and a badge that never drifts between devices and the database.
 */
describe('the notification center', () => {
  let t: TestApi;
  let alice: LoggedIn;
  let aliceLaptop: LoggedIn;
  let bobPhone: LoggedIn;
  let bobLaptop: LoggedIn;
  const clients: StreamClient[] = [];

  const stream = (who: LoggedIn): StreamClient => {
    const client = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: who.token });
    clients.push(client);
    return client;
  };
  const call = <T = Json>(who: LoggedIn, method: string, path: string, body?: unknown) =>
    request<T>(t.baseUrl, method, `/api/v1${path}`, { bearer: who.token, ...(body !== undefined && { body }) });
  const create = async (who: LoggedIn, body: Json = { title: 'Hello' }) => {
    const res = await call<Json & { id: string; counts: Counts }>(who, 'POST', '/notifications', body);
    expect(res.status).toBe(201);
    return res.body;
  };
  /** The highest-versioned counts a device has received (the rule a client follows). */
  const newestCounts = (c: StreamClient): Counts | undefined =>
    c
      .ofType('notification.counts')
      .map((e) => e.data['data'] as Counts)
      .reduce<Counts | undefined>((best, next) => (!best || next.version > best.version ? next : best), undefined);
  const countsReached = (c: StreamClient, version: number) =>
    c.waitUntil(() => (newestCounts(c)?.version ?? 0) >= version, `counts version ${version}`, WITHIN_MS);

  beforeAll(async () => {
    // The storm below is 500 writes of one user in a few seconds: far above the default limit.
    t = await startTestApi({ env: { WRITE_RATE_LIMIT_PER_MINUTE: '100000' } });
    [alice, aliceLaptop, bobPhone, bobLaptop] = await Promise.all([
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password'),
      logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password'),
    ]);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  it('creates with an action and an expiry, gets it, and answers every change with the counts', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await create(alice, { title: 'Order shipped', priority: 'urgent', action: { url: '/orders/7', label: 'Track' }, expiresAt });
    expect(created).toMatchObject({ category: 'test', source: 'user', priority: 'urgent', status: 'unread', seenAt: null, expiresAt, action: { url: '/orders/7', label: 'Track' } });

    const got = await call(alice, 'GET', `/notifications/${created.id}`);
    expect(got.body).toMatchObject({ id: created.id, title: 'Order shipped' });

    const seen = await call<Json & { counts: Counts }>(alice, 'PATCH', `/notifications/${created.id}`, { status: 'seen' });
    expect(seen.body).toMatchObject({ status: 'unread', seenAt: expect.any(String) });
    expect(seen.body.counts.version).toBeGreaterThan(created.counts.version);
    expect(seen.body.counts.unseen).toBe(created.counts.unseen - 1);
    const counts = await call<Counts>(alice, 'GET', '/notifications/counts');
    expect(counts.body).toEqual(seen.body.counts);
  });

  it('lists by filter: the inbox without archived ones, archived=true only those, archived=any both', async () => {
    const kept = await create(alice, { title: 'kept' });
    const gone = await create(alice, { title: 'gone' });
    expect((await call(alice, 'PATCH', `/notifications/${gone.id}`, { archived: true })).status).toBe(200);

    const ids = async (query: string) => (await call<{ items: { id: string }[] }>(alice, 'GET', `/notifications?limit=100${query}`)).body.items.map((n) => n.id);
    expect(await ids('')).toContain(kept.id);
    expect(await ids('')).not.toContain(gone.id);
    expect(await ids('&archived=true')).toEqual([gone.id]);
    expect(await ids('&archived=any')).toEqual(expect.arrayContaining([kept.id, gone.id]));
    expect(await ids('&status=read')).not.toContain(kept.id);
    expect(await ids(`&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
  });

  it.each<[string, string, string, unknown]>([
    ['status', 'PATCH', 'x', { status: 'archived' }],
    ['archived', 'PATCH', 'x', { archived: 'yes' }],
    ['snoozedUntil', 'PATCH', 'x', { snoozedUntil: 'tomorrow' }],
    ['snoozedUntil', 'PATCH', 'x', { snoozedUntil: '2020-01-01T00:00:00Z' }],
    ['before', 'POST', 'read-all', { before: 'yesterday' }],
    ['expiresAt', 'POST', '', { title: 'x', expiresAt: '2020-01-01T00:00:00Z' }],
    ['action.url', 'POST', '', { title: 'x', action: { url: 'javascript:alert(1)', label: 'Go' } }],
  ])('answers a bad %s with 400 naming the field', async (field, method, target, body) => {
    const { id } = await create(alice, { title: 'target' });
    const path = target === 'x' ? `/notifications/${id}` : target ? `/notifications/${target}` : '/notifications';
    const res = await call(alice, method, path, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed', field } });
  });

  it('answers a forbidden transition with 409 and the current state', async () => {
    const { id } = await create(alice, { title: 'archived first' });
    await call(alice, 'PATCH', `/notifications/${id}`, { archived: true });

    const res = await call(alice, 'PATCH', `/notifications/${id}`, { snoozedUntil: new Date(Date.now() + 60_000).toISOString() });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'conflict' }, current: { id, archivedAt: expect.any(String), snoozedUntil: null } });
  });

  it("hides another user's notification (404) and deletes softly, telling the other devices", async () => {
    const laptop = stream(aliceLaptop);
    await laptop.waitForOpen();
    const { id } = await create(alice, { title: 'to delete' });
    expect((await call(bobPhone, 'GET', `/notifications/${id}`)).status).toBe(404);
    expect((await call(bobPhone, 'DELETE', `/notifications/${id}`)).status).toBe(404);

    const deleted = await call<{ deleted: boolean; counts: Counts }>(alice, 'DELETE', `/notifications/${id}`);

    expect(deleted.body.deleted).toBe(true);
    await laptop.waitForEvent('notification.deleted', (e) => (e['data'] as { notificationId: string }).notificationId === id);
    await countsReached(laptop, deleted.body.counts.version);
    expect(newestCounts(laptop)).toEqual({ userId: alice.userId, ...deleted.body.counts });
    expect((await call(alice, 'GET', `/notifications/${id}`)).status).toBe(404);
    expect((await call(alice, 'DELETE', `/notifications/${id}`)).status).toBe(404);
  });

  it('read-all on one device: the other gets bulk_changed and the counts with a higher version', async () => {
    const laptop = stream(aliceLaptop);
    await laptop.waitForOpen();
    await create(alice, { title: 'one' });
    const last = await create(alice, { title: 'two' });
    await countsReached(laptop, last.counts.version);

    const readAll = await call<{ changed: number; counts: Counts }>(alice, 'POST', '/notifications/read-all');

    expect(readAll.body.changed).toBeGreaterThanOrEqual(2);
    expect(readAll.body.counts).toMatchObject({ unread: 0 });
    expect(readAll.body.counts.version).toBeGreaterThan(last.counts.version);
    await laptop.waitForEvent('notification.bulk_changed', (e) => (e['data'] as { change: string }).change === 'read');
    await countsReached(laptop, readAll.body.counts.version);
    expect(newestCounts(laptop)).toEqual({ userId: alice.userId, ...readAll.body.counts });
    const again = await call<{ changed: number; counts: Counts }>(alice, 'POST', '/notifications/read-all', {});
    expect(again.body).toEqual({ changed: 0, counts: readAll.body.counts });
  });

  it('expires and wakes on the worker\'s clock: devices hear of it, and an expired one cannot be read (409)', async () => {
    const laptop = stream(aliceLaptop);
    await laptop.waitForOpen();
    const hour = 3_600_000;
    const expiring = await create(alice, { title: 'flash sale', expiresAt: new Date(Date.now() + hour).toISOString() });
    const napping = await create(alice, { title: 'remind me' });
    const snooze = await call(alice, 'PATCH', `/notifications/${napping.id}`, { snoozedUntil: new Date(Date.now() + hour).toISOString() });
    expect(snooze.body).toMatchObject({ snoozedUntil: expect.any(String) });
    const listed = async (query = '') => (await call<{ items: { id: string }[] }>(alice, 'GET', `/notifications?limit=100${query}`)).body.items.map((n) => n.id);
    expect(await listed()).not.toContain(napping.id);
    expect(await listed('&status=snoozed')).toEqual([napping.id]);

    // The worker's pass two hours from now: the clock is the pass's, not a sleep.
    const pass = await t.api.services.get(ExpireDueNotifications).execute(new Date(Date.now() + 2 * hour));

    expect(pass).toMatchObject({ expired: expect.any(Number), unsnoozed: expect.any(Number) });
    await laptop.waitForEvent('notification.expired', (e) => (e['data'] as { notificationId: string }).notificationId === expiring.id);
    await laptop.waitForEvent('notification.unsnoozed', (e) => (e['data'] as { notificationId: string }).notificationId === napping.id);
    expect(await listed()).toContain(napping.id);
    expect(await listed()).not.toContain(expiring.id);
    const read = await call(alice, 'PATCH', `/notifications/${expiring.id}`, { status: 'read' });
    expect(read.status).toBe(409);
    expect(read.body).toMatchObject({ error: { code: 'conflict' }, current: { id: expiring.id, expiredAt: expect.any(String) } });
  });

  it('a read/unread/archive storm from two devices (500 changes) ends with both badges equal to the database', async () => {
    const phone = stream(bobPhone);
    const laptop = stream(bobLaptop);
    await Promise.all([phone.waitForOpen(), laptop.waitForOpen()]);
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push((await create(bobPhone, { title: `storm ${i}` })).id);

    const bodies = [{ status: 'read' }, { status: 'unread' }, { status: 'seen' }, { archived: true }, { archived: false }, { status: 'clicked' }];
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const plan = Array.from({ length: 500 }, (_, i) => ({ who: i % 2 === 0 ? bobPhone : bobLaptop, id: ids[random(ids.length)]!, body: bodies[random(bodies.length)]! }));
    const answered: Counts[] = [];
    // Eight requests in flight per device, so changes of both devices interleave on the server.
    const lanes = Array.from({ length: 16 }, (_, lane) => plan.filter((_, i) => i % 16 === lane));
    await Promise.all(
      lanes.map(async (lane) => {
        for (const step of lane) {
          const res = await call<{ counts: Counts }>(step.who, 'PATCH', `/notifications/${step.id}`, step.body);
          expect(res.status).toBe(200);
          answered.push(res.body.counts);
        }
      }),
    );

    const final = (await call<Counts>(bobPhone, 'GET', '/notifications/counts')).body;
    const database = await t.api.services.get(Ports.NotificationRepository).countInInbox({ tenantId: DEMO_TENANT.id, userId: bobPhone.userId });
    expect({ unseen: final.unseen, unread: final.unread }).toEqual(database);
    // The answer with the highest version is the state after the last change.
    const newestAnswer = answered.reduce((a, b) => (b.version > a.version ? b : a));
    expect(newestAnswer).toEqual(final);
    // Versions never repeat with different counts: one version, one state.
    const byVersion = new Map<number, string>();
    for (const c of answered) {
      const seen = byVersion.get(c.version);
      if (seen !== undefined) expect(JSON.stringify(c)).toBe(seen);
      byVersion.set(c.version, JSON.stringify(c));
    }
    await Promise.all([countsReached(phone, final.version), countsReached(laptop, final.version)]);
    for (const device of [phone, laptop]) expect(newestCounts(device)).toEqual({ userId: bobPhone.userId, ...final });
  }, 120_000);
});

describe('the notification center limits', () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi({ env: { WRITE_RATE_LIMIT_PER_MINUTE: '3', NOTIFICATIONS_MAX_PER_USER: '2' } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it("limits each user's writes across devices (429), never their reads or another user's writes; keeps at most the cap", async () => {
    const [phone, laptop, bob] = await Promise.all([
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password'),
    ]);
    const post = (who: LoggedIn, title: string) => request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: who.token, body: { title } });
    for (const [who, title] of [[phone, 'one'], [laptop, 'two'], [phone, 'three']] as const) expect((await post(who, title)).status).toBe(201);

    const limited = await post(laptop, 'four');

    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await request(t.baseUrl, 'GET', '/api/v1/notifications/counts', { bearer: phone.token })).status).toBe(200);
    expect((await post(bob, 'bob is not limited by alice')).status).toBe(201);
    // Three created, a cap of two: the oldest went.
    const list = await request<{ items: { title: string }[] }>(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: phone.token });
    expect(list.body.items.map((n) => n.title)).toEqual(['three', 'two']);
  });
});
