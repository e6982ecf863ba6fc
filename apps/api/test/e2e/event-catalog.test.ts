import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** What the catalog adds end to end: ephemeral typing, the latest-wins unread count, the AsyncAPI document. */
describe('event catalog over HTTP', () => {
  let t: TestApi;
  let phone: LoggedIn;
  let laptop: LoggedIn;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    t = await startTestApi();
    [phone, laptop] = await Promise.all([
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
      logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'),
    ]);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  it('pushes presence.typing live without an id, and never replays it', async () => {
    const device = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: laptop.token });
    clients.push(device);
    await device.waitForOpen();

    const typing = (on: boolean) =>
      request(t.baseUrl, 'POST', '/api/v1/presence/typing', { bearer: phone.token, body: { subject: 'reply-1', typing: on } });
    expect((await typing(true)).status).toBe(202);
    await device.waitForEvent('presence.typing', (e) => (e['data'] as { typing: boolean }).typing);
    const created = await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: phone.token, body: { title: 'Hi' } });
    expect(created.status).toBe(201);
    await device.waitForEvent('notification.counts');
    expect((await typing(false)).status).toBe(202);
    await device.waitForEvent('presence.typing', (e) => !(e['data'] as { typing: boolean }).typing);

    // EventSource keeps the last id it saw: a frame without `id:` leaves it on the stored event, and
    // before the first one on the position the stream opened at (its `id:`-only frame).
    const ids = device.events.map((e) => [e.type, e.id]);
    const createdCursor = Number(device.ofType('notification.created')[0]!.id);
    expect(ids).toEqual([
      ['presence.typing', String(createdCursor - 1)],
      ['notification.created', String(createdCursor)],
      ['notification.counts', String(createdCursor + 1)],
      ['presence.typing', String(createdCursor + 1)],
    ]);

    const replay = await request<{ events: { type: string }[] }>(t.baseUrl, 'GET', '/api/v1/events?after=0', { bearer: laptop.token });
    expect(replay.body.events.map((e) => e.type)).toEqual(['notification.created', 'notification.counts']);
  });

  it('replays only the newest counts, while every notification still arrives', async () => {
    for (const title of ['two', 'three']) {
      expect((await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: phone.token, body: { title } })).status).toBe(201);
    }
    const device = new StreamClient(`${t.baseUrl}/api/v1/stream?lastEventId=0`, { bearer: laptop.token });
    clients.push(device);
    await device.waitForEvent('notification.counts', (e) => (e['data'] as { unread: number }).unread === 3);

    expect(device.ofType('notification.created')).toHaveLength(3);
    // Three creates wrote counts at cursors 2, 4 and 6; a device behind gets only the newest.
    const counts = device.ofType('notification.counts').map((e) => [e.id, e.data['data']]);
    expect(counts).toEqual([['6', { userId: phone.userId, unseen: 3, unread: 3, version: 3 }]]);
  });

  it('rejects a typing report without a subject', async () => {
    const res = await request(t.baseUrl, 'POST', '/api/v1/presence/typing', { bearer: phone.token, body: { subject: ' ' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed', field: 'subject' } });
  });

  it('serves the AsyncAPI document of the stream without authentication', async () => {
    const res = await request<{ asyncapi: string; channels: Record<string, { address: string }> }>(t.baseUrl, 'GET', '/api/docs/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body.asyncapi).toBe('3.0.0');
    expect(res.body.channels['stream']?.address).toBe('/api/v1/stream');
  });
});
