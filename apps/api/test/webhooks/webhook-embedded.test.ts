import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookReceiver } from '@pushline/testing';
import { eventually } from '../support/eventually.js';
import { installedApps, logIn, request } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const ADMIN_TOKEN = 'webhook-pglite-admin-token-0123456789';

/** The embedded database (`npm start`'s default) runs the same queue: lease, send, log. */
describe('webhooks on the embedded database (PGlite)', () => {
  let t: TestApi;
  let receiver: WebhookReceiver | undefined;

  beforeAll(async () => {
    t = await startTestApi({ database: 'pglite', env: { ADMIN_TOKEN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE: '0,20ms', WEBHOOK_POLL_MS: '50' } });
  }, 90_000);
  afterAll(async () => {
    await receiver?.close();
    await t?.stop();
  });

  it('delivers a signed event after one retry and logs both attempts', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    // A real app alice installed: apps hear only about users who installed them.
    const { 'demo-app': appId } = await installedApps(t.baseUrl, ADMIN_TOKEN, alice, ['demo-app']);
    const path = `/api/v1/apps/${appId}/webhooks`;
    const created = await request<{ id: string; secret: string }>(t.baseUrl, 'POST', path, {
      bearer: ADMIN_TOKEN,
      body: { url: 'http://127.0.0.1:9/placeholder', eventTypes: ['notification.created'], enabled: false },
    });
    receiver = await WebhookReceiver.start({ secrets: [created.body.secret], behaviour: (n) => ({ status: n === 0 ? 500 : 200 }) });
    await request(t.baseUrl, 'PATCH', `${path}/${created.body.id}`, { bearer: ADMIN_TOKEN, body: { url: receiver.url, enabled: true } });

    await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: 'Embedded' } });
    await receiver.waitForRequests(2);

    expect(receiver.received.map((r) => r.verified[0])).toEqual([true, true]);
    const log = async () => (await request<{ items: { status: string; attempts: { statusCode: number }[] }[] }>(t.baseUrl, 'GET', `${path}/${created.body.id}/deliveries`, { bearer: ADMIN_TOKEN })).body.items;
    await eventually(async () => (await log())[0]?.status === 'succeeded', 'the delivery to succeed');
    expect((await log())[0]?.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
  }, 30_000);
});
