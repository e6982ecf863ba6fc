import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn, request } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** The `npm start` default: embedded PGlite, migrations applied at start-up, demo users seeded. */
describe('the API on the embedded database', () => {
  let t: TestApi;
  let client: StreamClient | undefined;

  // A fresh embedded database applies every migration at start-up (not the test template): on two
  // busy cores that alone has taken over 30 s.
  beforeAll(async () => {
    t = await startTestApi({ database: 'pglite' });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await t?.stop();
  });

  it('logs in a seeded demo user and pushes a notification and its read to the stream', async () => {
    const bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    client = new StreamClient(`${t.baseUrl}/api/v1/stream`, { cookie: bob.cookie });
    await client.waitForOpen();
    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: bob.token, body: { title: 'Embedded' } });
    expect(created.status).toBe(201);
    await client.waitForEvent('notification.created');
    await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${created.body.id}`, { bearer: bob.token, body: { archived: true } });
    await client.waitForEvent('notification.counts', (e) => (e['data'] as { version: number }).version === 2);
    expect(client.events.map((e) => [e.id, e.type])).toEqual([
      ['1', 'notification.created'],
      ['2', 'notification.counts'],
      ['3', 'notification.archived'],
      ['4', 'notification.counts'],
    ]);
    expect((await request(t.baseUrl, 'GET', '/ready')).body).toEqual({ status: 'ready', checks: { database: 'up' } });
  });
});
