import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateNotification } from '@pushline/application';
import { digestWindowOf } from '@pushline/domain';
import { PushServiceReceiver, type BrowserPushSubscription } from '@pushline/testing';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { CHANNEL_TEST_GRACE_MS, channelDriver } from '../support/channel-driver.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * The whole web push path on a real server and PostgreSQL: a notification is created, the channel
 * dispatch writes its web_push record, the channel worker (driven at times the test picks) sends it,
 * and a push service on loopback verifies the VAPID JWT and decrypts the payload with the browser's keys.
 */
describe('web push delivery', () => {
  let t: TestApi;
  let service: PushServiceReceiver;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let publicKey: string;
  const { api, deliveries, sendAt, notify: create } = channelDriver(() => t);
  const notify = (who: LoggedIn, title: string, priority = 'normal') =>
    create(who, { title, body: `${title}, in full`, priority, action: { url: '/inbox', label: 'Open' } });
  const subscribe = async (who: LoggedIn): Promise<BrowserPushSubscription> => {
    const browser = service.subscribe({ applicationServerKey: publicKey });
    expect((await api(who, 'POST', '/push-subscriptions', browser)).status).toBe(201);
    return browser;
  };

  beforeAll(async () => {
    service = await PushServiceReceiver.start();
    t = await startTestApi({
      env: {
        WEB_PUSH_ALLOWED_HOSTS: '127.0.0.1',
        CHANNEL_GRACE_MS: String(CHANNEL_TEST_GRACE_MS),
        CHANNEL_RETRY_BASE_MS: '60000',
        // The test drives the worker; its timer and the handler poll stay out of the way.
        CHANNEL_POLL_MS: '3600000',
        HANDLER_POLL_MS: '60000',
        WEBHOOK_WORKER: '0',
      },
    });
    [alice, bob] = await Promise.all([logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'), logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password')]);
    publicKey = (await request<{ publicKey: string }>(t.baseUrl, 'GET', '/api/v1/push/vapid-public-key')).body.publicKey;
    // `test` (the user's own notifications) has web push off by default.
    for (const who of [alice, bob]) await api(who, 'PUT', '/preferences', { categories: { test: { channels: { web_push: true } } } });
  });
  afterAll(async () => {
    await t?.stop();
    await service?.close();
  });

  it('pushes a notification to every browser of its user after the grace period: VAPID verifies, the payload decrypts', async () => {
    const [phone, laptop] = [await subscribe(alice), await subscribe(alice)];
    const bobs = await subscribe(bob);
    const before = service.received.length;
    const { id, afterGrace } = await notify(alice, 'Deploy finished', 'high');
    expect(await deliveries(alice, id)).toEqual([expect.objectContaining({ channel: 'web_push', status: 'pending' })]);

    await sendAt(new Date(afterGrace.getTime() - 1000));
    expect(service.received.length).toBe(before);
    await sendAt(afterGrace);
    await service.waitForPushes(before + 2);

    const expected = { title: 'Deploy finished', body: 'Deploy finished, in full', url: '/inbox', notificationIds: [id], count: 1 };
    expect(service.payloadsFor(phone.endpoint)).toEqual([expected]);
    expect(service.payloadsFor(laptop.endpoint)).toEqual([expected]);
    expect(service.payloadsFor(bobs.endpoint)).toEqual([]);
    for (const push of service.received.slice(before)) expect(push).toMatchObject({ vapidVerified: true, vapidPublicKey: publicKey, urgency: 'high', ttl: 86_400 });
    expect(await deliveries(alice, id)).toEqual([expect.objectContaining({ channel: 'web_push', status: 'sent', attempts: [expect.objectContaining({ error: null })] })]);
    for (const b of [phone, laptop]) await api(alice, 'DELETE', '/push-subscriptions', { endpoint: b.endpoint });
    await api(bob, 'DELETE', '/push-subscriptions', { endpoint: bobs.endpoint });
  });

  it('does not push a notification read on a device within the grace period', async () => {
    const browser = await subscribe(bob);
    const { id, afterGrace } = await notify(bob, 'Read on the laptop');
    expect((await api(bob, 'PATCH', `/notifications/${id}`, { status: 'read' })).status).toBe(200);
    await sendAt(afterGrace);
    expect(await deliveries(bob, id)).toEqual([expect.objectContaining({ channel: 'web_push', status: 'skipped', reason: 'read_on_device' })]);
    expect(service.payloadsFor(browser.endpoint)).toEqual([]);
    await api(bob, 'DELETE', '/push-subscriptions', { endpoint: browser.endpoint });
  });

  it('retries a push the push service refused with 500, with backoff; a 410 then removes the subscription', async () => {
    const browser = await subscribe(alice);
    const { id, afterGrace } = await notify(alice, 'Retried push');
    service.answerWith(() => ({ status: 500 }));
    await sendAt(afterGrace);
    const [failed] = await deliveries(alice, id);
    expect(failed).toMatchObject({ status: 'pending', attempts: [expect.objectContaining({ error: expect.stringContaining('answered 500') })] });
    const retryAt = new Date(failed!.nextAttemptAt!);
    expect(retryAt.getTime() - Date.parse(failed!.attempts[0]!.at)).toBe(60_000);

    service.answerWith(() => ({ status: 201 }));
    await sendAt(new Date(retryAt.getTime() - 1000));
    expect(service.payloadsFor(browser.endpoint)).toHaveLength(1);
    await sendAt(retryAt);
    expect(service.payloadsFor(browser.endpoint)).toHaveLength(2);
    expect(await deliveries(alice, id)).toEqual([expect.objectContaining({ status: 'sent', attempts: [expect.anything(), expect.objectContaining({ error: null })] })]);

    // The browser unsubscribed: the push service answers 410 and the subscription is removed.
    service.unsubscribe(browser.endpoint);
    const gone = await notify(alice, 'To a browser that left');
    await sendAt(gone.afterGrace);
    expect((await api(alice, 'DELETE', '/push-subscriptions', { endpoint: browser.endpoint })).status).toBe(404);
  });

  it('digests a category: 5 mentions within the window are one push saying 5, while the inbox has each', async () => {
    const browser = await subscribe(bob);
    const me = await request<{ tenantId: string }>(t.baseUrl, 'GET', '/api/v1/me', { bearer: bob.token });
    const created = [];
    for (let i = 1; i <= 5; i++) {
      const [n] = await t.api.services
        .get(CreateNotification)
        .execute({ tenantId: me.body.tenantId, userIds: [bob.userId], title: `Dana mentioned you (${i})`, category: 'mentions', source: 'module:test' });
      created.push(n!);
    }
    // Windows are aligned to the clock (10 min); five creates straddle a boundary only by rare chance.
    const windows = new Set(created.map((n) => digestWindowOf(n.createdAt, 10 * 60_000).end.getTime()));
    await sendAt(new Date(Math.max(...windows) + CHANNEL_TEST_GRACE_MS));

    const pushes = service.payloadsFor(browser.endpoint) as { count: number; notificationIds: string[] }[];
    expect(pushes).toHaveLength(windows.size);
    expect(pushes.reduce((sum, p) => sum + p.count, 0)).toBe(5);
    expect(pushes.flatMap((p) => p.notificationIds).sort()).toEqual(created.map((n) => n.id).sort());
    if (windows.size === 1) expect(pushes[0]).toMatchObject({ count: 5, title: expect.stringContaining('5') });
    expect((await api<{ items: unknown[] }>(bob, 'GET', '/notifications?category=mentions')).body.items).toHaveLength(5);
  });
});
