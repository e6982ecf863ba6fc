import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPushlineApi, createPushlineClient, type PushlineClient } from '@pushline/client';
import WebSocket from 'ws';
import { createNotification, logIn } from '../support/http-client.js';
import { startCuttableProxy } from '../support/loopback-proxy.js';
import { SdkRecorder } from '../support/sdk-recorder.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * The SDK against a real server, through a loopback proxy whose sockets the test kills: whatever
 * happens to the connection, every event arrives once and in cursor order.
 */
describe('@pushline/client against a real server', () => {
  let t: TestApi;
  const clients: PushlineClient[] = [];
  const fast = { initialMs: 50, maxMs: 400 };

  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  const create = (token: string, title: string) => createNotification(t.baseUrl, token, title);

  const expectOnceInOrder = (recorder: SdkRecorder, titles: string[]): void => {
    expect(recorder.titles()).toEqual(titles);
    const ids = recorder.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  };

  it.each(['sse', 'ws'] as const)('%s: the socket is killed → reconnects with backoff and resumes, nothing lost, nothing twice', async (transport) => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const proxy = await startCuttableProxy(t.baseUrl);
    try {
      const client = createPushlineClient({ baseUrl: proxy.url, token: alice.token, transport, reconnect: fast, WebSocket: WebSocket as never });
      clients.push(client);
      const recorder = new SdkRecorder(client);
      await recorder.waitForState('open');
      expect(client.transport).toBe(transport);

      const titles = Array.from({ length: 12 }, (_, i) => `${transport} ${i}`);
      for (const title of titles.slice(0, 4)) await create(alice.token, title);
      await recorder.waitUntil(() => recorder.titles().length === 4, 'the first 4');
      const cursorBefore = client.cursor;

      expect(proxy.cutAll()).toBeGreaterThan(0);
      // Created while the client is cut off or reconnecting: the replay from the cursor brings them.
      for (const title of titles.slice(4, 8)) await create(alice.token, title);
      await recorder.waitForState('reconnecting');
      await recorder.waitUntil(() => recorder.titles().length === 8, 'the 4 created while cut off');
      proxy.cutAll();
      for (const title of titles.slice(8)) await create(alice.token, title);
      await recorder.waitUntil(() => recorder.titles().length === 12, 'all 12');

      expectOnceInOrder(recorder, titles);
      // Each of the 8 creates wrote two entries: notification.created, then its notification.counts.
      await recorder.waitUntil(() => client.cursor === (cursorBefore ?? 0) + 16, 'the cursor after the last counts');
      expect(client.cursor).toBe((cursorBefore ?? 0) + 16);
      expect(client.state).toBe('open');
      expect(recorder.states.filter((s) => s.state === 'reconnecting').length).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });

  it.each(['sse', 'ws'] as const)('%s: cut before its first event → resumes from where it opened, nothing created meanwhile lost', async (transport) => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    await create(alice.token, 'before the client');
    const proxy = await startCuttableProxy(t.baseUrl);
    try {
      const client = createPushlineClient({ baseUrl: proxy.url, token: alice.token, transport, reconnect: fast, WebSocket: WebSocket as never });
      clients.push(client);
      const positioned = new Promise<string>((resolve) => client.on('stream.position', (p) => resolve(p.position)));
      const recorder = new SdkRecorder(client);
      const startedAt = await positioned;
      // The server told it where it starts: the client resumes from there, not from a new head.
      expect(client.cursor).toBe(Number(startedAt));
      expect(proxy.cutAll()).toBeGreaterThan(0);
      const titles = [`${transport} away 1`, `${transport} away 2`, `${transport} away 3`];
      for (const title of titles) await create(alice.token, title);
      await recorder.waitUntil(() => recorder.titles().length === 3, 'the 3 created while cut off');
      expectOnceInOrder(recorder, titles);
    } finally {
      await proxy.close();
    }
  });

  it('stream.reset → the reset callback, then live events continue', async () => {
    const bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    const resets: unknown[] = [];
    // A cursor this stream never had: the server answers with stream.reset (cursor_unknown).
    const client = createPushlineClient({ baseUrl: t.baseUrl, token: bob.token, cursor: 999_999, onReset: (reset) => resets.push(reset) });
    clients.push(client);
    const recorder = new SdkRecorder(client);
    await recorder.waitUntil(() => recorder.resets.length === 1, 'stream.reset');
    expect(resets).toEqual([{ reason: 'cursor_unknown', cursor: expect.any(Number) }]);
    expect(client.cursor).toBe((resets[0] as { cursor: number }).cursor);

    await create(bob.token, 'after the reset');
    await recorder.waitUntil(() => recorder.titles().includes('after the reset'), 'the live event');
    client.close();
    expect(client.state).toBe('closed');
    expect(client.reason).toBe('client_closed');
  });

  it('session_revoked (logout) closes the client for good, without reconnecting', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const client = createPushlineClient({ baseUrl: t.baseUrl, token: alice.token, reconnect: fast });
    clients.push(client);
    const recorder = new SdkRecorder(client);
    await recorder.waitForState('open');
    await createPushlineApi({ baseUrl: t.baseUrl, token: alice.token }).logout();
    await recorder.waitForState('closed', 'session_revoked');
    expect(recorder.states.some((s) => s.state === 'reconnecting')).toBe(false);
  });
});

describe('@pushline/client token refresh on stream.reauth', () => {
  /** Tokens live 6 s; `stream.reauth` comes 4 s before expiry, so 2 s after each login or refresh. */
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ env: { JWT_TTL_SECONDS: '6', STREAM_REAUTH_LEAD_MS: '4000' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reauth → the refresh callback → the stream continues from the cursor, nothing lost or twice', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    let token = alice.token;
    const refreshed: string[] = [];
    const api = createPushlineApi({ baseUrl: t.baseUrl, token: () => token });
    const client = createPushlineClient({
      baseUrl: t.baseUrl,
      token: () => token,
      refreshToken: async () => {
        token = (await api.refresh()).accessToken;
        refreshed.push(token);
        recorder.notify();
        return token;
      },
    });
    const recorder = new SdkRecorder(client);
    try {
      await recorder.waitForState('open');
      const titles = Array.from({ length: 6 }, (_, i) => `reauth ${i}`);
      for (const title of titles.slice(0, 3)) await api.notifications.create({ title });
      await recorder.waitUntil(() => refreshed.length >= 1, 'the first refresh', 20_000);
      for (const title of titles.slice(3)) await api.notifications.create({ title });
      // Past the first token's expiry: only the refreshed stream can still be delivering.
      await recorder.waitUntil(() => refreshed.length >= 2, 'the second refresh', 20_000);
      await recorder.waitUntil(() => recorder.titles().length === 6, 'all 6');
      expect(recorder.titles()).toEqual(titles);
      expect(new Set(recorder.events.map((e) => e.id)).size).toBe(recorder.events.length);
      expect(recorder.states.some((s) => s.state === 'closed' || s.state === 'reconnecting')).toBe(false);
    } finally {
      client.close();
    }
  }, 40_000);
});
