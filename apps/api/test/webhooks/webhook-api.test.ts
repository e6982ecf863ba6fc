import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookReceiver, type ReceiverBehaviour } from '@pushline/testing';
import { eventually } from '../support/eventually.js';
import { installedApps, logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const ADMIN_TOKEN = 'webhook-e2e-admin-token-0123456789';

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: { statusCode: number | null; error: string | null; durationMs: number; responseBody: string | null }[];
}

/**
 * The webhook API end to end: a real server on PostgreSQL, real receivers on loopback verifying every
 * request with `standardwebhooks`. Short retry schedule so retries happen within the test.
 */
describe('webhooks API', () => {
  let t: TestApi;
  let alice: LoggedIn;
  const receivers: WebhookReceiver[] = [];
  // Real apps, installed by alice: an app hears only about users who installed it.
  let appIds: Record<string, string> = {};
  const app = (slug = 'app-orders') => `/api/v1/apps/${appIds[slug] ?? slug}/webhooks`;
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    request<T>(t.baseUrl, method, path, { bearer: ADMIN_TOKEN, ...(body !== undefined && { body }) });

  beforeAll(async () => {
    t = await startTestApi({
      env: {
        ADMIN_TOKEN,
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_RETRY_SCHEDULE: '0,20ms,20ms,20ms,20ms',
        WEBHOOK_DISABLE_AFTER_FAILURES: '3',
        WEBHOOK_MAX_SUBSCRIPTIONS_PER_APP: '3',
        WEBHOOK_POLL_MS: '50',
      },
    });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    appIds = await installedApps(t.baseUrl, ADMIN_TOKEN, alice, ['app-orders', 'app-list', 'app-deliver', 'app-retry', 'app-disable', 'app-rotate', 'app-bad', 'app-a', 'app-b']);
  });

  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  afterAll(async () => {
    await t?.stop();
  });

  const notify = (title: string) => request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title } });
  const deliveries = async (appId: string, id: string) => (await call<{ items: Delivery[] }>('GET', `${app(appId)}/${id}/deliveries`)).body.items;

  it('creates a subscription with a whsec_ secret shown once, lists it without secrets', async () => {
    const receiver = await WebhookReceiver.start({ secrets: [] });
    receivers.push(receiver);
    const created = await call<{ id: string; secret: string }>('POST', app('app-list'), { url: receiver.url, eventTypes: ['notification.*'], description: 'orders backend' });

    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await call<{ items: Record<string, unknown>[]; nextCursor: string | null }>('GET', app('app-list'));
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, url: receiver.url, eventTypes: ['notification.*'], enabled: true })]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect(JSON.stringify((await call('GET', `${app('app-list')}/${created.body.id}`)).body)).not.toContain('whsec_');
    expect(list.body.nextCursor).toBeNull();
  });

  it('delivers a committed event, signed, and logs the attempt', async () => {
    const receiver = await WebhookReceiver.start({ secrets: [] });
    receivers.push(receiver);
    const created = await call<{ id: string; secret: string }>('POST', app('app-deliver'), { url: receiver.url, eventTypes: ['notification.created'] });
    const verifying = await WebhookReceiver.start({ secrets: [created.body.secret] });
    receivers.push(verifying);
    await call('PATCH', `${app('app-deliver')}/${created.body.id}`, { url: verifying.url });

    const notification = await notify('Order shipped');
    await verifying.waitForRequests(1);

    const [received] = verifying.received;
    expect(received?.verified).toEqual([true]);
    const envelope = JSON.parse(received!.body) as { type: string; specversion: string; data: { notificationId: string } };
    expect(envelope).toMatchObject({ specversion: '1.0', type: 'notification.created', data: { notificationId: notification.body['id'] } });
    expect(receiver.received).toHaveLength(0);
    await eventually(async () => (await deliveries('app-deliver', created.body.id))[0]?.status === 'succeeded', 'the delivery log to show it');
    const [logged] = await deliveries('app-deliver', created.body.id);
    expect(logged).toMatchObject({ id: received!.id, eventType: 'notification.created', status: 'succeeded', attempts: [{ statusCode: 200, error: null, responseBody: 'ok' }] });
  });

  it('queues nothing about a user who has not installed the app (nor of another tenant)', async () => {
    const { id, receiver } = await subscribedWithSecret('app-orders');
    const bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    // Deliveries are queued in the event's own transaction: bob's would be in the log as soon as he committed.
    expect((await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: bob.token, body: { title: 'Not for the app' } })).status).toBe(201);
    await notify('For the app');
    await receiver.waitForRequests(1);

    expect(await deliveries('app-orders', id)).toHaveLength(1);
  });

  it('retries 500, 500 then 200: three attempts on one webhook-id', async () => {
    const { id, receiver } = await subscribedWithSecret('app-retry', (n) => ({ status: n < 2 ? 500 : 200, body: n < 2 ? 'boom' : 'ok' }));
    await notify('Retry me');
    await receiver.waitForRequests(3);
    await eventually(async () => (await deliveries('app-retry', id))[0]?.status === 'succeeded', 'the delivery log to show it');

    const [logged] = await deliveries('app-retry', id);
    expect(logged?.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(logged?.attempts[0]?.responseBody).toBe('boom');
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([logged!.id]));
    expect(receiver.received.every((r) => r.verified[0])).toBe(true);
  });

  it('disables after N consecutive failures, tells the app, re-enables and redelivers', async () => {
    const { id, receiver } = await subscribedWithSecret('app-disable', () => ({ status: 503, body: 'down' }));
    await notify('One');
    await receiver.waitForRequests(3);
    await eventually(async () => (await call<{ enabled: boolean }>('GET', `${app('app-disable')}/${id}`)).body.enabled === false, 'the delivery log to show it');

    const status = await call<{ enabled: boolean; events: { type: string; data: { reason: string } }[] }>('GET', `${app('app-disable')}/${id}/status`);
    expect(status.body.enabled).toBe(false);
    expect(status.body.events[0]).toMatchObject({ type: 'webhook.disabled', data: { reason: '3 consecutive failed attempts' } });
    const failing = await call<{ items: { id: string; appId: string }[] }>('GET', '/api/v1/admin/webhooks/failing');
    expect(failing.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id, appId: appIds['app-disable'] })]));
    // Disabled: new events are not queued for it.
    await notify('While disabled');

    receiver.answerWith(() => ({ status: 200, body: 'ok' }));
    const since = new Date(Date.now() - 60_000).toISOString();
    expect((await call('PATCH', `${app('app-disable')}/${id}`, { enabled: true })).status).toBe(200);
    await eventually(async () => (await deliveries('app-disable', id))[0]?.status === 'succeeded', 'the delivery log to show it');
    const afterEnable = await deliveries('app-disable', id);
    expect(afterEnable).toHaveLength(1);
    expect((await call<{ events: { type: string }[] }>('GET', `${app('app-disable')}/${id}/status`)).body.events[0]?.type).toBe('webhook.enabled');

    const before = receiver.received.length;
    expect((await call('POST', `${app('app-disable')}/${id}/deliveries/${afterEnable[0]!.id}/redeliver`)).status).toBe(202);
    await receiver.waitForRequests(before + 1);
    expect(receiver.received.at(-1)?.id).toBe(afterEnable[0]!.id);
    expect((await call<{ queued: number }>('POST', `${app('app-disable')}/${id}/redeliver-failed`, { since })).body).toEqual({ queued: 0 });
  });

  it('signs with both secrets during a rotation overlap: old and new receivers both verify', async () => {
    const { id, secret: oldSecret, receiver } = await subscribedWithSecret('app-rotate');
    const rotated = await call<{ secret: string }>('POST', `${app('app-rotate')}/${id}/rotate-secret`);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    const oldOnly = await WebhookReceiver.start({ secrets: [oldSecret] });
    const newOnly = await WebhookReceiver.start({ secrets: [rotated.body.secret] });
    receivers.push(oldOnly, newOnly);
    await receiver.close();
    await call('PATCH', `${app('app-rotate')}/${id}`, { url: oldOnly.url });
    await notify('Rotated A');
    await oldOnly.waitForRequests(1);
    await call('PATCH', `${app('app-rotate')}/${id}`, { url: newOnly.url });
    await notify('Rotated B');
    await newOnly.waitForRequests(1);

    expect(oldOnly.received[0]?.verified).toEqual([true]);
    expect(newOnly.received[0]?.verified).toEqual([true]);
    expect(String(newOnly.received[0]?.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('answers bad input with 400 naming the field, too many subscriptions with 429', async () => {
    const bad = async (body: Record<string, unknown>) => (await call<{ error: { field: string; code: string } }>('POST', app('app-bad'), body)).body.error;
    const ok = { url: 'http://127.0.0.1:9/hook', eventTypes: ['notification.*'] };
    expect(await bad({ ...ok, eventTypes: ['order.shipped'] })).toMatchObject({ code: 'validation_failed', field: 'eventTypes' });
    expect(await bad({ ...ok, eventTypes: ['Not A Type'] })).toMatchObject({ field: 'eventTypes' });
    expect(await bad({ ...ok, url: 'ftp://127.0.0.1/' })).toMatchObject({ field: 'url' });
    expect(await bad({ ...ok, url: 'http://user:pw@127.0.0.1/' })).toMatchObject({ field: 'url' });
    expect(await bad({ ...ok, url: `http://127.0.0.1/${'a'.repeat(2100)}` })).toMatchObject({ field: 'url' });
    expect(await bad({ ...ok, url: 'http://169.254.169.254/latest' })).toMatchObject({ field: 'url' });
    expect(await bad({ ...ok, url: 'http://[::1]/' })).toMatchObject({ field: 'url' });
    expect(await bad({ ...ok, url: 'http://10.0.0.1/' })).toMatchObject({ field: 'url' });

    for (let i = 0; i < 3; i += 1) expect((await call('POST', app('app-bad'), ok)).status).toBe(201);
    const tooMany = await call<{ error: { code: string } }>('POST', app('app-bad'), ok);
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.error.code).toBe('limit_exceeded');
  });

  it('keeps apps apart and needs a credential', async () => {
    const created = await call<{ id: string }>('POST', app('app-a'), { url: 'http://127.0.0.1:9/a', eventTypes: ['*'] });
    expect((await call('GET', `${app('app-b')}/${created.body.id}`)).status).toBe(404);
    expect((await call('DELETE', `${app('app-b')}/${created.body.id}`)).status).toBe(404);
    expect((await call('GET', `${app('app-b')}/${created.body.id}/deliveries`)).status).toBe(404);
    expect((await call<{ items: unknown[] }>('GET', app('app-b'))).body.items).toHaveLength(0);
    expect((await request(t.baseUrl, 'GET', app('app-a'))).status).toBe(401);
    expect((await request(t.baseUrl, 'GET', app('app-a'), { bearer: alice.token })).status).toBe(401);
    expect((await call('DELETE', `${app('app-a')}/${created.body.id}`)).status).toBe(204);
    expect((await call('GET', `${app('app-a')}/${created.body.id}`)).status).toBe(404);
  });

  it('exposes webhook metrics', async () => {
    const res = await fetch(`${t.baseUrl}/metrics`);
    const text = await res.text();
    for (const name of ['pushline_webhook_attempts_total', 'pushline_webhook_attempt_duration_seconds', 'pushline_webhook_backlog_age_seconds', 'pushline_webhook_subscriptions_disabled']) {
      expect(text).toContain(name);
    }
  });

  /** A subscription pointing at a receiver that verifies with the subscription's own secret. */
  async function subscribedWithSecret(appId: string, behaviour?: ReceiverBehaviour) {
    const created = await call<{ id: string; secret: string }>('POST', app(appId), { url: 'http://127.0.0.1:9/placeholder', eventTypes: ['notification.created'], enabled: false });
    expect(created.status).toBe(201);
    const receiver = await WebhookReceiver.start({ secrets: [created.body.secret], ...(behaviour && { behaviour }) });
    receivers.push(receiver);
    expect((await call('PATCH', `${app(appId)}/${created.body.id}`, { url: receiver.url, enabled: true })).status).toBe(200);
    return { id: created.body.id, secret: created.body.secret, receiver };
  }
});
