import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChannelSenderRegistry } from '@pushline/application';
import { createPushlineApi, PushlineApiError } from '@pushline/client';
import { ChannelSendError, type ChannelMessage } from '@pushline/domain';
import { PushServiceReceiver } from '@pushline/testing';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const MAX_PER_USER = 4;

/** The push-subscription routes, the SDK's helpers on them, and the web_push sender the API registers. */
describe('web push: subscriptions and the channel sender', () => {
  let t: TestApi;
  let service: PushServiceReceiver;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let publicKey: string;

  beforeAll(async () => {
    service = await PushServiceReceiver.start();
    // The loopback push service is allowed past the SSRF guard, as WEBHOOK_ALLOWED_HOSTS does for receivers.
    t = await startTestApi({ env: { WEB_PUSH_ALLOWED_HOSTS: '127.0.0.1', WEB_PUSH_MAX_SUBSCRIPTIONS_PER_USER: String(MAX_PER_USER) } });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    publicKey = (await request<{ publicKey: string }>(t.baseUrl, 'GET', '/api/v1/push/vapid-public-key')).body.publicKey;
  });
  afterAll(async () => {
    await t?.stop();
    await service?.close();
  });

  const tenantOf = async (user: LoggedIn) => (await request<{ tenantId: string }>(t.baseUrl, 'GET', '/api/v1/me', { bearer: user.token })).body.tenantId;
  const sender = () => t.api.services.get(ChannelSenderRegistry).get('web_push')!;
  const messageFor = async (user: LoggedIn, overrides: Partial<ChannelMessage> = {}): Promise<ChannelMessage> => ({
    tenantId: await tenantOf(user),
    userId: user.userId,
    channel: 'web_push',
    notificationIds: ['n-1'],
    title: 'Build finished',
    body: 'main is green',
    priority: 'normal',
    category: 'builds',
    action: { url: 'https://ci.example/builds/7', label: 'Open' },
    count: 1,
    ...overrides,
  });

  it('a browser subscribes with the VAPID key (bearer), renews (cookie), is pushed to, and unsubscribes', async () => {
    expect(publicKey).toMatch(/^B[\w-]{86}$/);
    expect(t.api.services.get(ChannelSenderRegistry).channels).toContain('web_push');
    const browser = service.subscribe({ applicationServerKey: publicKey });

    const created = await request<{ id: string; endpoint: string }>(t.baseUrl, 'POST', '/api/v1/push-subscriptions', { bearer: alice.token, body: browser });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), endpoint: browser.endpoint, expirationTime: null, createdAt: expect.any(String) });
    const renewed = await request(t.baseUrl, 'POST', '/api/v1/push-subscriptions', {
      cookie: alice.cookie,
      headers: { origin: t.baseUrl },
      body: { ...browser, expirationTime: Date.now() + 86_400_000 },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ id: created.body.id, expirationTime: expect.any(String) });

    await sender().send(await messageFor(alice));
    await service.waitForPushes(1);
    expect(service.received[0]).toMatchObject({ vapidVerified: true, vapidPublicKey: publicKey, urgency: 'normal', ttl: 86_400 });
    expect(service.payloadsFor(browser.endpoint)).toEqual([{ title: 'Build finished', body: 'main is green', url: 'https://ci.example/builds/7', notificationIds: ['n-1'], count: 1 }]);

    expect((await request(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { bearer: alice.token, body: { endpoint: browser.endpoint } })).status).toBe(204);
    expect((await request(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { bearer: alice.token, body: { endpoint: browser.endpoint } })).status).toBe(404);
    const before = service.received.length;
    await sender().send(await messageFor(alice));
    expect(service.received).toHaveLength(before);
  });

  it('answers every bad input with a 400 naming the field, and 401 without a login', async () => {
    const good = service.subscribe();
    const cases: [unknown, string][] = [
      [{ keys: good.keys }, 'endpoint'],
      [{ ...good, endpoint: 'not a url' }, 'endpoint'],
      [{ ...good, endpoint: 'ftp://push.example/x' }, 'endpoint'],
      [{ ...good, endpoint: `https://u:p@push.example/x` }, 'endpoint'],
      [{ ...good, endpoint: `https://push.example/${'x'.repeat(2100)}` }, 'endpoint'],
      // Resolves inward and is not on WEB_PUSH_ALLOWED_HOSTS: the SSRF guard refuses it.
      [{ ...good, endpoint: 'http://10.1.2.3/push/x' }, 'endpoint'],
      [{ endpoint: good.endpoint }, 'keys'],
      [{ ...good, keys: { ...good.keys, p256dh: 'short' } }, 'keys.p256dh'],
      [{ ...good, keys: { ...good.keys, auth: 42 } }, 'keys.auth'],
      [{ ...good, keys: { ...good.keys, auth: 'a'.repeat(30) } }, 'keys.auth'],
      [{ ...good, expirationTime: 'tomorrow' }, 'expirationTime'],
      [{ ...good, expirationTime: Date.now() - 1000 }, 'expirationTime'],
    ];
    for (const [body, field] of cases) {
      const res = await request<{ error: { field?: string; code: string } }>(t.baseUrl, 'POST', '/api/v1/push-subscriptions', { bearer: alice.token, body });
      expect({ status: res.status, field: res.body.error?.field }).toEqual({ status: 400, field });
    }
    const removal = await request<{ error: { field?: string } }>(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { bearer: alice.token, body: {} });
    expect({ status: removal.status, field: removal.body.error.field }).toEqual({ status: 400, field: 'endpoint' });
    expect((await request(t.baseUrl, 'POST', '/api/v1/push-subscriptions', { body: good })).status).toBe(401);
    expect((await request(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { body: { endpoint: good.endpoint } })).status).toBe(401);
    // Nothing was stored by any of them.
    await sender().send(await messageFor(alice, { notificationIds: ['n-bad'] }));
    expect(service.received.filter((p) => p.subscriptionId === good.endpoint.split('/').pop())).toEqual([]);
  });

  it('keeps users apart: bob cannot remove alice\'s subscription, and the same endpoint is his own', async () => {
    const browser = service.subscribe();
    expect((await request(t.baseUrl, 'POST', '/api/v1/push-subscriptions', { bearer: alice.token, body: browser })).status).toBe(201);
    expect((await request(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { bearer: bob.token, body: { endpoint: browser.endpoint } })).status).toBe(404);
    expect((await request(t.baseUrl, 'POST', '/api/v1/push-subscriptions', { bearer: bob.token, body: browser })).status).toBe(201);

    await sender().send(await messageFor(bob, { notificationIds: ['n-bob'], title: 'For bob' }));
    await sender().send(await messageFor(alice, { notificationIds: ['n-alice'], title: 'For alice' }));
    expect((service.payloadsFor(browser.endpoint) as { title: string }[]).map((p) => p.title)).toEqual(['For bob', 'For alice']);
    expect((await request(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { bearer: bob.token, body: { endpoint: browser.endpoint } })).status).toBe(204);
    expect((await request(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { bearer: alice.token, body: { endpoint: browser.endpoint } })).status).toBe(204);
  });

  it('410 from the push service removes the subscription; 500 is a retryable failure that keeps it', async () => {
    const browser = service.subscribe();
    await request(t.baseUrl, 'POST', '/api/v1/push-subscriptions', { bearer: bob.token, body: browser });

    service.answerWith(() => ({ status: 500 }));
    const failed = await sender().send(await messageFor(bob)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ChannelSendError);
    expect(failed).toMatchObject({ retryable: true });
    service.answerWith(() => ({ status: 201 }));
    await sender().send(await messageFor(bob));
    expect(service.payloadsFor(browser.endpoint)).toHaveLength(2);

    service.unsubscribe(browser.endpoint);
    await sender().send(await messageFor(bob));
    // Gone from the database: removing it again finds nothing.
    expect((await request(t.baseUrl, 'DELETE', '/api/v1/push-subscriptions', { bearer: bob.token, body: { endpoint: browser.endpoint } })).status).toBe(404);
  });

  it('the SDK helpers work against these routes, and the cap per user answers 429', async () => {
    const api = createPushlineApi({ baseUrl: t.baseUrl, token: bob.token });
    expect(await api.pushSubscriptions.vapidPublicKey()).toEqual({ publicKey });
    const browsers = Array.from({ length: MAX_PER_USER }, () => service.subscribe());
    for (const b of browsers) expect(await api.pushSubscriptions.subscribe(b)).toMatchObject({ endpoint: b.endpoint, expirationTime: null });
    const over = await api.pushSubscriptions.subscribe(service.subscribe()).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(PushlineApiError);
    expect(over).toMatchObject({ status: 429, code: 'limit_exceeded' });
    // Renewing a known endpoint is not a new subscription.
    await expect(api.pushSubscriptions.subscribe(browsers[0]!)).resolves.toMatchObject({ endpoint: browsers[0]!.endpoint });
    const invalid = await api.pushSubscriptions.subscribe({ ...browsers[0]!, keys: { p256dh: 'x', auth: 'y' } }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed', field: 'keys.p256dh' });
    for (const b of browsers) await api.pushSubscriptions.unsubscribe(b);
    expect(await api.pushSubscriptions.unsubscribe(browsers[0]!).catch((e: unknown) => e)).toMatchObject({ status: 404 });
  });
});
