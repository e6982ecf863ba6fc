import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from '../support/test-api.js';

/**
 * The foundation's vertical slice, end to end: a real server, real `eventsource` clients, a real
 * PostgreSQL. Alice has three devices open (two browser tabs on the cookie, one app on a Bearer
 * token); Bob has one. Only Alice's devices hear about Alice's notification.
 */
describe('live push to every device of a user', () => {
  let t: TestApi;
  let aliceTab1: LoggedIn;
  let aliceTab2: LoggedIn;
  let alicePhone: LoggedIn;
  let bob: LoggedIn;
  const clients: StreamClient[] = [];

  const stream = (credentials: ConstructorParameters<typeof StreamClient>[1], query = ''): StreamClient => {
    const client = new StreamClient(`${t.baseUrl}/api/v1/stream${query}`, credentials);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startTestApi();
    [aliceTab1, aliceTab2, alicePhone, bob] = await Promise.all([
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password'),
    ]);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  it('delivers created and read to all three devices, and nothing to another user', async () => {
    const devices = [
      stream({ cookie: aliceTab1.cookie }),
      stream({ cookie: aliceTab2.cookie }),
      stream({ bearer: alicePhone.token, headers: { 'X-Device-Id': 'alice-phone' } }),
    ];
    const bobDevice = stream({ bearer: bob.token });
    await Promise.all([...devices, bobDevice].map((d) => d.waitForOpen()));

    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', {
      bearer: alicePhone.token,
      headers: { 'X-Device-Id': 'alice-phone', 'X-Request-Id': 'req-create-1' },
      body: { title: 'Your order shipped', body: 'It arrives Friday', priority: 'high', data: { orderId: 'o-42' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await Promise.all(devices.map((d) => d.waitForEvent('notification.created', (envelope) => (envelope.data as { notificationId?: string }).notificationId === id)));

    const read = await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${id}`, {
      cookie: aliceTab1.cookie,
      body: { status: 'read' },
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, status: 'read' });
    await Promise.all(devices.map((d) => d.waitForEvent('notification.read')));

    // Bob's own event comes after Alice's in the outbox; once it arrives, any misrouted event of Alice's
    // would have arrived before it.
    const bobs = await request<{ id: string; counts: unknown }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: bob.token, body: { title: 'Hi Bob' } });
    await bobDevice.waitForEvent('notification.created', (e) => (e.data as { notificationId: string }).notificationId === bobs.body.id);
    // Each change is followed by the badge's counts (latest-wins, so compared by their last value).
    const changes = (d: StreamClient) => d.events.map((e) => e.type).filter((type) => type !== 'notification.counts');
    const lastCounts = (d: StreamClient) => d.ofType('notification.counts').at(-1)?.data;
    expect(changes(bobDevice)).toEqual(['notification.created']);
    const bobsCounts = bobs.body['counts'] as { version: number };
    await bobDevice.waitForEvent('notification.counts', (e) => (e['data'] as { version: number }).version === bobsCounts.version);
    expect(lastCounts(bobDevice)).toMatchObject({ data: bobsCounts });
    for (const d of devices) {
      expect(changes(d)).toEqual(['notification.created', 'notification.read']);
      await d.waitForEvent('notification.counts', (e) => (e['data'] as { version: number }).version === (read.body['counts'] as { version: number }).version);
      expect(lastCounts(d)).toMatchObject({ data: read.body['counts'] });
    }

    // Every device got the same envelope: CloudEvents attributes, and the cursor as the SSE id.
    const envelopes = devices.map((d) => d.ofType('notification.created')[0]);
    expect(new Set(envelopes.map((e) => JSON.stringify(e)))).toHaveProperty('size', 1);
    const envelope = envelopes[0]!;
    expect(envelope.id).toMatch(/^\d+$/);
    expect(envelope.data).toMatchObject({
      specversion: '1.0',
      type: 'notification.created',
      source: '/pushline/api',
      subject: id,
      deviceid: 'alice-phone',
      correlationid: 'req-create-1',
      data: { notificationId: id, title: 'Your order shipped', priority: 'high', data: { orderId: 'o-42' } },
    });
    expect(typeof envelope.data.id).toBe('string');
    expect(new Date(envelope.data.time as string).toString()).not.toBe('Invalid Date');
    // created, its counts, then read: cursors follow one another per user.
    expect(Number(devices[0]!.ofType('notification.read')[0]!.id)).toBe(Number(envelope.id) + 2);
  });

  it('answers the stream with SSE headers that defeat proxy buffering', async () => {
    const controller = new AbortController();
    const res = await fetch(`${t.baseUrl}/api/v1/stream`, { headers: { authorization: `Bearer ${bob.token}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toContain('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^retry: \d+\n/);
    controller.abort();
  });

  describe('authentication', () => {
    const expired = () =>
      jwt.sign({ email: 'alice@example.com', sid: 's-old', exp: Math.floor(Date.now() / 1000) - 10 }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        subject: aliceTab1.userId,
        issuer: 'pushline',
        audience: 'pushline-api',
      });
    const forged = () => jwt.sign({ email: 'x', sid: 's' }, 'another-secret-that-is-long-enough!!', { subject: aliceTab1.userId, issuer: 'pushline', audience: 'pushline-api' });

    it.each([
      ['no token', {}],
      ['a garbage bearer token', { bearer: 'not-a-token' }],
      ['an expired token', { bearer: 'EXPIRED' }],
      ['a forged token', { bearer: 'FORGED' }],
      ['a garbage cookie', { cookie: 'pushline_session=garbage' }],
    ])('refuses the stream with %s: 401, not a stream', async (_, creds: { bearer?: string; cookie?: string }) => {
      const bearer = creds.bearer === 'EXPIRED' ? expired() : creds.bearer === 'FORGED' ? forged() : creds.bearer;
      const client = stream({ ...creds, ...(bearer && { bearer }) });
      expect(await client.waitForHttpError()).toBe(401);
      expect(client.events).toEqual([]);
    });

    it.each([
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/notifications'],
      ['POST', '/api/v1/notifications'],
      ['PATCH', '/api/v1/notifications/any-id'],
      ['POST', '/api/v1/auth/logout'],
    ])('refuses %s %s without a valid token: 401 JSON, no stack trace', async (method, path) => {
      for (const bearer of [undefined, 'garbage', expired(), forged()]) {
        const body = method === 'GET' ? undefined : { title: 'x', status: 'read' };
        const res = await request(t.baseUrl, method, path, { ...(bearer && { bearer }), ...(body && { body }) });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
        expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|Error:/);
      }
    });

    it('rejects wrong credentials with 401 and sets no cookie', async () => {
      for (const body of [{ email: 'alice@example.com', password: 'wrong-password' }, { email: 'nobody@example.com', password: 'alice-demo-password' }]) {
        const res = await request(t.baseUrl, 'POST', '/api/v1/auth/login', { body });
        expect(res.status).toBe(401);
        expect(res.headers.get('set-cookie')).toBeNull();
      }
    });

    it('sets an HTTP-only, SameSite=Lax session cookie holding the JWT', async () => {
      const res = await request<{ accessToken: string; expiresIn: number; user: { email: string } }>(t.baseUrl, 'POST', '/api/v1/auth/login', {
        body: { email: 'ALICE@example.com ', password: 'alice-demo-password' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ expiresIn: 3600, user: { email: 'alice@example.com', id: aliceTab1.userId } });
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toContain(`pushline_session=${res.body.accessToken}`);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const me = await request(t.baseUrl, 'GET', '/api/v1/me', { cookie: cookie.split(';')[0] });
      expect(me.body).toMatchObject({ id: aliceTab1.userId, email: 'alice@example.com' });
    });

    it('logout clears the cookie, revokes the token and closes that session’s streams only', async () => {
      const session = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
      const doomed = stream({ cookie: session.cookie });
      const survivor = stream({ cookie: aliceTab2.cookie });
      await Promise.all([doomed.waitForOpen(), survivor.waitForOpen()]);

      const out = await request(t.baseUrl, 'POST', '/api/v1/auth/logout', { cookie: session.cookie });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/pushline_session=;/);
      await doomed.waitForEvent('stream.closed', (d) => d.reason === 'session_revoked' && d.reconnect === false);
      expect((await request(t.baseUrl, 'GET', '/api/v1/me', { bearer: session.token })).status).toBe(401);
      expect((await request(t.baseUrl, 'GET', '/api/v1/me', { cookie: aliceTab2.cookie })).status).toBe(200);
      expect(survivor.ofType('stream.closed')).toEqual([]);
    });
  });

  describe('notifications API', () => {
    it.each([
      ['title', { body: 'no title' }],
      ['title', { title: '' }],
      ['title', { title: 'x'.repeat(201) }],
      ['body', { title: 'ok', body: 'x'.repeat(1001) }],
      ['priority', { title: 'ok', priority: 'critical' }],
      ['data', { title: 'ok', data: 'not-an-object' }],
    ])('rejects a bad %s with 400 naming the field, and stores nothing', async (field, body) => {
      const before = await request<{ items: unknown[] }>(t.baseUrl, 'GET', '/api/v1/notifications?limit=100', { bearer: bob.token });
      const res = await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: bob.token, body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'validation_failed', field } });
      const after = await request<{ items: unknown[] }>(t.baseUrl, 'GET', '/api/v1/notifications?limit=100', { bearer: bob.token });
      expect(after.body.items).toHaveLength(before.body.items.length);
    });

    it('rejects malformed JSON and a bad status with 400', async () => {
      const malformed = await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: bob.token, rawBody: '{"title":' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ error: { code: 'bad_request', field: 'body' } });
      const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: bob.token, body: { title: 'x' } });
      const bad = await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${created.body.id}`, { bearer: bob.token, body: { status: 'archived' } });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: { field: 'status' } });
    });

    it('hides another user’s notification: 404, unchanged', async () => {
      const mine = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: bob.token, body: { title: 'Bob only' } });
      const res = await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${mine.body.id}`, { bearer: alicePhone.token, body: { status: 'dismissed' } });
      expect(res.status).toBe(404);
      const list = await request<{ items: { id: string; status: string }[] }>(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: bob.token });
      expect(list.body.items.find((n) => n.id === mine.body.id)?.status).toBe('unread');
    });

    it('lists newest first with a cursor, and only the caller’s', async () => {
      const session = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
      const titles = ['one', 'two', 'three', 'four', 'five'];
      for (const title of titles) await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: session.token, body: { title } });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&before=${encodeURIComponent(cursor)}` : '?limit=2';
        const page = await request<{ items: { title: string }[]; nextCursor: string | null }>(t.baseUrl, 'GET', `/api/v1/notifications${query}`, { bearer: session.token });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((n) => n.title));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.slice(0, 5)).toEqual([...titles].reverse());
      const alices = await request<{ items: { title: string }[] }>(t.baseUrl, 'GET', '/api/v1/notifications?limit=100', { bearer: alicePhone.token });
      expect(alices.body.items.map((n) => n.title)).not.toContain('five');
      const bad = await request(t.baseUrl, 'GET', '/api/v1/notifications?limit=1000', { bearer: session.token });
      expect(bad.body).toMatchObject({ error: { field: 'limit' } });
    });
  });
});
