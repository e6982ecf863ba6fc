import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPushlineClient, type PushlineClient } from '@pushline/client';
import { createNotification, logIn, request } from '../support/http-client.js';
import { startBufferingProxy } from '../support/loopback-proxy.js';
import { SdkRecorder } from '../support/sdk-recorder.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** Polling as a transport, and as the automatic fallback behind a proxy that buffers the stream. */
describe('@pushline/client polling', () => {
  let t: TestApi;
  const clients: PushlineClient[] = [];

  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  const create = (token: string, title: string) => createNotification(t.baseUrl, token, title);

  it("transport 'poll' reads the same events and cursors, starting at the head", async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    await create(alice.token, 'before the client');
    const client = createPushlineClient({ baseUrl: t.baseUrl, token: alice.token, transport: 'poll', pollIntervalMs: 50 });
    clients.push(client);
    const recorder = new SdkRecorder(client);
    await recorder.waitForState('open');
    await create(alice.token, 'polled 1');
    await create(alice.token, 'polled 2');
    await recorder.waitUntil(() => recorder.titles().length === 2, 'two polled events');
    expect(recorder.titles()).toEqual(['polled 1', 'polled 2']);
    const page = await request<{ headCursor: number }>(t.baseUrl, 'GET', '/api/v1/events?after=0&limit=1', { bearer: alice.token });
    expect(client.cursor).toBe(page.body.headCursor);
  });

  it.each(['everything', 'body'] as const)('a proxy that buffers the stream (%s) → detected, falls back to polling, nothing lost', async (mode) => {
    const bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    const proxy = await startBufferingProxy(t.baseUrl, mode);
    try {
      // Resuming from a known cursor, as a reloaded app does: the fallback then loses nothing.
      const head = await request<{ headCursor: number }>(t.baseUrl, 'GET', '/api/v1/events?after=0&limit=1', { bearer: bob.token });
      const client = createPushlineClient({
        baseUrl: proxy.url,
        token: bob.token,
        cursor: head.body.headCursor,
        pollIntervalMs: 50,
        fallback: { openTimeoutMs: 300, stallCheckMs: 200 },
      });
      clients.push(client);
      const recorder = new SdkRecorder(client);
      if (mode === 'body') await recorder.waitForState('open');
      await create(bob.token, `${mode} 1`);
      await recorder.waitUntil(() => recorder.states.some((s) => s.reason === 'stream_blocked'), 'the blocked stream noticed');
      await recorder.waitUntil(() => client.state === 'open' && client.transport === 'poll', 'polling');
      expect(client.reason).toBe('polling_fallback');
      await create(bob.token, `${mode} 2`);
      await recorder.waitUntil(() => recorder.titles().length === 2, 'both events');
      expect(proxy.streamRequests()).toBe(1);
      expect(recorder.titles()).toEqual([`${mode} 1`, `${mode} 2`]);
      expect(recorder.states.map((s) => s.state)).toEqual(mode === 'body' ? ['open', 'reconnecting', 'open'] : ['connecting', 'open']);
      expect(new Set(recorder.events.map((e) => e.id)).size).toBe(recorder.events.length);
    } finally {
      await proxy.close();
    }
  });
});
