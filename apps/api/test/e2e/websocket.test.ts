import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WsDeliveryAdapter } from '@pushline/delivery-ws';
import { StreamHub } from '@pushline/stream-engine';
import jwt from 'jsonwebtoken';
import { WebSocket } from 'ws';
import { ConfigError, loadConfig } from '../../src/config.js';

import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient, wsUrl } from '../support/ws-delivery-client.js';

/** What the shared delivery contract does not cover: the WebSocket handshake, client messages, close codes. */
describe('WebSocket delivery', () => {
  let t: TestApi;
  let alice: LoggedIn;
  let bob: LoggedIn;
  const clients: WsDeliveryClient[] = [];

  const connect = (options: ConstructorParameters<typeof WsDeliveryClient>[1], headers?: Record<string, string>): WsDeliveryClient => {
    const client = new WsDeliveryClient(t.baseUrl, options, headers);
    clients.push(client);
    return client;
  };
  const notify = async (as: LoggedIn, title = 'ws'): Promise<string> => {
    const res = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: as.token, body: { title } });
    return res.body.id;
  };
  const createdIds = (c: WsDeliveryClient): unknown[] =>
    c.events.filter((e) => e.type === 'notification.created').map((e) => (e.data.data as { notificationId: string }).notificationId);

  beforeAll(async () => {
    t = await startTestApi({ env: { STREAM_MAX_DEVICES_PER_USER: '2' } });
    [alice, bob] = await Promise.all([
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password'),
    ]);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  /** The raw HTTP answer to an upgrade request, body included. */
  function refusal(options: { bearer?: string; cookie?: string; path?: string }): Promise<{ status: number; body: unknown }> {
    const url = options.path ? `${t.baseUrl.replace(/^http/, 'ws')}${options.path}` : wsUrl(t.baseUrl, {});
    const socket = new WebSocket(url, {
      headers: { ...(options.bearer && { Authorization: `Bearer ${options.bearer}` }), ...(options.cookie && { Cookie: options.cookie }) },
    });
    return new Promise((resolve, reject) => {
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => undefined);
      socket.on('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      });
    });
  }

  describe('handshake', () => {
    const expired = (): string =>
      jwt.sign({ email: 'alice@example.com', sid: 's-old', exp: Math.floor(Date.now() / 1000) - 10 }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        subject: alice.userId,
        issuer: 'pushline',
        audience: 'pushline-api',
      });

    it.each([
      ['no token', {}],
      ['a garbage bearer token', { bearer: 'not-a-token' }],
      ['an expired token', { bearer: 'EXPIRED' }],
      ['a garbage cookie', { cookie: 'pushline_session=garbage' }],
    ])('refuses %s with 401 JSON before upgrading', async (_, options: { bearer?: string; cookie?: string }) => {
      const res = await refusal({ ...options, ...(options.bearer === 'EXPIRED' && { bearer: expired() }) });
      expect(res).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: expect.any(String) } } });
    });

    it('refuses a malformed lastEventId with 400 naming the field, and an unknown path with 404', async () => {
      const bad = await refusal({ bearer: alice.token, path: '/api/v1/ws?lastEventId=abc' });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', field: 'lastEventId' } } });
      const repeated = await refusal({ bearer: alice.token, path: '/api/v1/ws?lastEventId=1&lastEventId=2' });
      expect(repeated).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', field: 'lastEventId' } } });
      expect(await refusal({ bearer: alice.token, path: '/api/v1/nope' })).toMatchObject({ status: 404 });
    });

    it('accepts the session cookie, as a browser sends it', async () => {
      const tab = connect({ cookie: alice.cookie });
      await tab.waitForOpen();
      const id = await notify(alice, 'for the tab');
      await tab.waitUntil(() => createdIds(tab).includes(id), 'the entry');
      tab.close();
    });

    it('refuses a device over the per-user limit with 429', async () => {
      const first = connect({ bearer: bob.token });
      const second = connect({ bearer: bob.token });
      await Promise.all([first.waitForOpen(), second.waitForOpen()]);
      expect(await refusal({ bearer: bob.token })).toMatchObject({ status: 429, body: { error: { code: 'limit_exceeded' } } });
      first.close();
      second.close();
    });
  });

  it('resumes from ?lastEventId= with the entries after it, each id a cursor string', async () => {
    const live = connect({ bearer: alice.token });
    await live.waitForOpen();
    const ids = [await notify(alice), await notify(alice)];
    await live.waitUntil(() => createdIds(live).length === 2, 'two entries');
    live.close();
    const first = live.events[0]!;
    expect(first.id).toMatch(/^\d+$/);
    // It came without an id: told where it started first, the cursor just before its first entry.
    expect(live.positions).toEqual([String(Number(first.id) - 1)]);

    const resumed = connect({ bearer: alice.token, lastEventId: first.id! });
    await resumed.waitUntil(() => createdIds(resumed).length === 1, 'the replay');
    expect(createdIds(resumed)).toEqual([ids[1]]);
    const created = (c: typeof live) => c.events.filter((e) => e.type === 'notification.created');
    expect(created(resumed)[0]).toEqual(created(live)[1]);
    resumed.close();
  });

  describe('client messages', () => {
    it('records an ack of a delivered cursor and refuses one ahead of the stream, keeping the connection', async () => {
      const app = connect({ bearer: alice.token, deviceId: 'ack-phone' });
      await app.waitForOpen();
      await notify(alice);
      // notification.created, then its notification.counts: ack the last one delivered.
      await app.waitUntil(() => app.events.length === 2, 'two entries');
      const cursor = Number(app.events[1]!.id);

      app.send({ type: 'ack', id: String(cursor) });
      app.send({ type: 'ack', id: String(cursor + 1000) });
      await app.waitUntil(() => app.replies.length === 1, 'the error reply');
      expect(app.replies[0]).toMatchObject({ type: 'error', data: { code: 'validation_failed', field: 'id' } });
      const adapter = t.api.services.get(WsDeliveryAdapter);
      expect(adapter.connectionsOf(alice.userId).find((c) => c.deviceId === 'ack-phone')).toMatchObject({ cursor, acknowledged: cursor });
      expect(app.ended).toBe(false);
      app.close();
    });

    it('subscribe changes the type filter live', async () => {
      const app = connect({ bearer: alice.token, types: 'notification.read' });
      await app.waitForOpen();
      app.send({ type: 'subscribe', types: 'notification.created' });
      await app.waitUntil(() => app.replies.length === 1, 'the confirmation');
      expect(app.replies[0]).toEqual({ type: 'subscribed', data: { types: 'notification.created' } });
      const id = await notify(alice);
      await app.waitUntil(() => createdIds(app).includes(id), 'the created entry');
      app.close();
    });

    it.each([
      ['not JSON', 'hello', 'bad_message'],
      ['an unknown type', { type: 'dance' }, 'validation_failed'],
      ['a bad types pattern', { type: 'subscribe', types: 'Not A Type!' }, 'validation_failed'],
    ])('answers %s with an error message and stays open', async (_, message, code) => {
      const app = connect({ bearer: alice.token });
      await app.waitForOpen();
      app.send(message);
      await app.waitUntil(() => app.replies.length === 1, 'the error reply');
      expect(app.replies[0]).toMatchObject({ type: 'error', data: { code } });
      const id = await notify(alice);
      await app.waitUntil(() => createdIds(app).includes(id), 'an entry after the error');
      expect(app.ended).toBe(false);
      app.close();
    });

    it('closes with 1009 on a message over 16 KiB', async () => {
      const app = connect({ bearer: alice.token });
      await app.waitForOpen();
      app.send({ type: 'ack', id: '1', padding: 'x'.repeat(17 * 1024) });
      await app.waitForEnd();
      expect(app.closeCode).toBe(1009);
    });
  });

  describe('close codes', () => {
    it('logout closes with 4003 after stream.closed session_revoked', async () => {
      const session = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
      const app = connect({ bearer: session.token });
      await app.waitForOpen();
      await request(t.baseUrl, 'POST', '/api/v1/auth/logout', { bearer: session.token });
      await app.waitForEnd();
      expect(app.events.at(-1)).toEqual({ type: 'stream.closed', data: { reason: 'session_revoked', reconnect: false } });
      expect([app.closeCode, app.closeReason]).toEqual([4003, 'session_revoked']);
    });

    it('an expired token closes with 4001', async () => {
      const session = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
      const app = connect({ bearer: session.token });
      await app.waitForOpen();
      const { sid } = jwt.decode(session.token) as { sid: string };
      t.api.services.get(StreamHub).closeSession(sid, 'token_expired');
      await app.waitForEnd();
      expect(app.events.at(-1)).toEqual({ type: 'stream.closed', data: { reason: 'token_expired', reconnect: false } });
      expect(app.closeCode).toBe(4001);
    });
  });
});

describe('TRANSPORTS', () => {
  it('serves both by default, takes a list, and names the variable when it is wrong', () => {
    expect(loadConfig({}).transports).toEqual(['sse', 'ws']);
    expect(loadConfig({ TRANSPORTS: ' ws ' }).transports).toEqual(['ws']);
    expect(() => loadConfig({ TRANSPORTS: 'sse,carrier-pigeon' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRANSPORTS: '' })).toThrow(/TRANSPORTS/);
  });
});
