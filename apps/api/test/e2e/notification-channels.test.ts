import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateNotification } from '@pushline/application';
import { digestWindowOf, EventFactory, storeOrderShipped } from '@pushline/domain';
import { listUnsubscribeOf, SmtpReceiver } from '@pushline/testing';
import { Ports } from '../../src/composition/ports.js';
import { installedApps, logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { CHANNEL_TEST_GRACE_MS, channelDriver, type ChannelDeliveryJson } from '../support/channel-driver.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { ChannelWorker } from '../../src/jobs/channel-worker.js';
import { HandlerWorker } from '../../src/jobs/handler-worker.js';

const ADMIN_TOKEN = 'admin-token-for-the-channel-tests';
/**
 * Outbound channels on a real server, PostgreSQL and a real SMTP server (`smtp-server`) on loopback.
 * The channel worker runs only when the test says, at a time the test picks: grace periods, digest
 * windows and backoff are crossed without waiting.
 */
describe('notification channels', () => {
  let t: TestApi;
  let smtp: SmtpReceiver;
  let alice: LoggedIn;
  let bob: LoggedIn;
  const { api, deliveries, sendAt, notify: create } = channelDriver(() => t);
  const notify = (who: LoggedIn, title: string) => create(who, { title, body: `${title}, in full` });

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    t = await startTestApi({
      env: {
        ADMIN_TOKEN,
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'Pushline <no-reply@pushline.test>',
        CHANNEL_GRACE_MS: String(CHANNEL_TEST_GRACE_MS),
        CHANNEL_RETRY_BASE_MS: '60000',
        // The test drives the worker; its timer and the handler poll stay out of the way.
        CHANNEL_POLL_MS: '3600000',
        HANDLER_POLL_MS: '60000',
        WEBHOOK_WORKER: '0',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
    });
    [alice, bob] = await Promise.all([logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password'), logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password')]);
    // `test` (the user's own notifications) has email off by default.
    for (const who of [alice, bob]) await api(who, 'PUT', '/preferences', { categories: { test: { channels: { email: true } } } });
  });
  afterAll(async () => {
    await t?.stop();
    await smtp?.close();
  });
  beforeEach(() => smtp.behave(() => ({ accept: true })));

  it('emails after the grace period, records the send, and the one-click unsubscribe mutes that category', async () => {
    const before = smtp.received.length;
    const { id, afterGrace } = await notify(alice, 'Build 42 passed');
    expect(await deliveries(alice, id)).toEqual([expect.objectContaining({ channel: 'email', status: 'pending', attempts: [] })]);

    // Still inside the grace period: nothing goes out.
    await sendAt(new Date(afterGrace.getTime() - 1000));
    expect(smtp.received.length).toBe(before);
    await sendAt(afterGrace);
    await smtp.waitForEmails(before + 1);

    const email = smtp.received[before]!;
    expect(email.to).toEqual(['alice@example.com']);
    expect(email.mail.subject).toBe('Build 42 passed');
    expect(email.mail.text).toContain('Build 42 passed, in full');
    expect(await deliveries(alice, id)).toEqual([expect.objectContaining({ channel: 'email', status: 'sent', attempts: [expect.objectContaining({ error: null })] })]);
    // Another user's notification: its records do not exist for bob.
    expect((await api(bob, 'GET', `/notifications/${id}/deliveries`)).status).toBe(404);

    const unsubscribe = listUnsubscribeOf(email.mail);
    expect(unsubscribe?.oneClick).toBe(true);
    // The link in the body opens a page; fetching it (as a link scanner would) mutes nothing.
    const page = await fetch(unsubscribe!.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const prefs = async () => (await api<{ categories: Record<string, { channels: Record<string, boolean> }> }>(alice, 'GET', '/preferences')).body.categories['test']!.channels;
    expect((await prefs()).email).toBe(true);
    // What a mail client sends for RFC 8058 one-click.
    const post = await fetch(unsubscribe!.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ category: 'test', channel: 'email', muted: true });
    expect(await prefs()).toEqual({ in_app: true, email: false, web_push: false, webhook: true });

    const next = await notify(alice, 'After unsubscribing');
    expect(await deliveries(alice, next.id)).toEqual([]);
    await api(alice, 'PUT', '/preferences', { categories: { test: { channels: { email: true } } } });

    const forged = new URL(unsubscribe!.url);
    forged.searchParams.set('token', `${forged.searchParams.get('token')!.slice(0, -2)}xx`);
    const refused = await fetch(forged, { method: 'POST' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'validation_failed', field: 'token' } });
  });

  it('skips the email of a notification read on a device within the grace period', async () => {
    const before = smtp.offered;
    const { id, afterGrace } = await notify(bob, 'Read on the phone');
    expect((await api(bob, 'PATCH', `/notifications/${id}`, { status: 'read' })).status).toBe(200);

    await sendAt(afterGrace);

    expect(await deliveries(bob, id)).toEqual([expect.objectContaining({ channel: 'email', status: 'skipped', reason: 'read_on_device', attempts: [] })]);
    expect(smtp.offered).toBe(before);
  });

  it('retries a refused email with backoff; the refusal does not hold back the other user\'s email', async () => {
    const before = smtp.received.length;
    const first = await notify(alice, 'Refused first');
    const second = await notify(bob, 'Accepted at once');
    // The first message offered is refused with a transient code, everything after is accepted.
    const offeredBefore = smtp.offered;
    smtp.behave((n) => (n === offeredBefore ? { accept: false, code: 451, message: 'greylisted, try again later' } : { accept: true }));
    const at = new Date(Math.max(first.afterGrace.getTime(), second.afterGrace.getTime()));

    await sendAt(at);
    await smtp.waitForOffers(offeredBefore + 2);

    // Both are sent in one pass, concurrently: whichever reached the server first was refused.
    const subjects = () => smtp.received.slice(before).map((e) => e.mail.subject).sort();
    expect(subjects()).toHaveLength(1);
    const both = async () => [...(await deliveries(alice, first.id)), ...(await deliveries(bob, second.id))];
    const failed = (await both()).find((d) => d.status === 'pending');
    expect((await both()).filter((d) => d.status === 'sent')).toHaveLength(1);
    expect(failed).toMatchObject({ status: 'pending', attempts: [expect.objectContaining({ error: expect.stringContaining('greylisted') })] });
    // Backoff: CHANNEL_RETRY_BASE_MS after the failed attempt, not before.
    const retryAt = new Date(failed!.nextAttemptAt!);
    expect(retryAt.getTime() - Date.parse(failed!.attempts[0]!.at)).toBe(60_000);
    await sendAt(new Date(retryAt.getTime() - 1000));
    expect(smtp.received.length).toBe(before + 1);
    await sendAt(retryAt);
    await smtp.waitForEmails(before + 2);

    expect(subjects()).toEqual(['Accepted at once', 'Refused first']);
    const records = await both();
    expect(records.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(records.map((r) => r.attempts.length).sort()).toEqual([1, 2]);

    const metrics = await fetch(`${t.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/pushline_channel_sends_total\{channel="email",outcome="retry"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/pushline_channel_sends_total\{channel="email",outcome="sent"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/pushline_channel_sends_total\{channel="email",outcome="skipped"[^}]*\} [1-9]/);
  });

  it('digests a category: 5 mentions within the window are one email saying 5, while the inbox has each', async () => {
    await api(alice, 'PUT', '/preferences', { categories: { mentions: { channels: { email: true } } } });
    const me = await request<{ tenantId: string }>(t.baseUrl, 'GET', '/api/v1/me', { bearer: alice.token });
    const before = smtp.received.length;
    const created = [];
    for (let i = 1; i <= 5; i++) {
      const [n] = await t.api.services
        .get(CreateNotification)
        .execute({ tenantId: me.body.tenantId, userIds: [alice.userId], title: `Carol mentioned you (${i})`, category: 'mentions', source: 'module:test' });
      created.push(n!);
    }
    // Windows are aligned to the clock (10 min); five creates straddle a boundary only by rare chance.
    const windows = new Set(created.map((n) => digestWindowOf(n.createdAt, 10 * 60_000).end.getTime()));

    await sendAt(new Date(Math.max(...windows) + CHANNEL_TEST_GRACE_MS));
    await smtp.waitForEmails(before + windows.size);

    const emails = smtp.received.slice(before);
    expect(emails).toHaveLength(windows.size);
    if (windows.size === 1) {
      expect(emails[0]!.mail.subject).toBe('5 new notifications');
      expect(emails[0]!.mail.text).toContain('Carol mentioned you (5)');
    }
    const list = await api<{ items: unknown[] }>(alice, 'GET', '/notifications?category=mentions');
    expect(list.body.items).toHaveLength(5);
    // Mentions push too (web_push is on by default): these are the email records.
    const records = (await Promise.all(created.map((n) => deliveries(alice, n.id)))).flat().filter((r) => r.channel === 'email');
    expect(records.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  });

  it('the webhook channel preference decides whether an app\'s subscription hears of a notification', async () => {
    const { 'channel-app': appId } = await installedApps(t.baseUrl, ADMIN_TOKEN, bob, ['channel-app']);
    const path = `/api/v1/apps/${appId}/webhooks`;
    const sub = await request<{ id: string }>(t.baseUrl, 'POST', path, { bearer: ADMIN_TOKEN, body: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['notification.created'] } });
    expect(sub.status).toBe(201);
    const posted = async () =>
      (await request<{ items: { eventType: string }[] }>(t.baseUrl, 'GET', `${path}/${sub.body.id}/deliveries`, { bearer: ADMIN_TOKEN })).body.items.length;

    await notify(bob, 'Heard by the app');
    expect(await posted()).toBe(1);
    await api(bob, 'PUT', '/preferences', { categories: { test: { channels: { webhook: false } } } });
    await notify(bob, 'Not heard by the app');
    expect(await posted()).toBe(1);
  });

  it('a muted in-app copy keeps email and the webhook: the notification reaches no device, list or badge', async () => {
    const { 'mute-app': appId } = await installedApps(t.baseUrl, ADMIN_TOKEN, alice, ['mute-app']);
    const hooks = `/api/v1/apps/${appId}/webhooks`;
    const sub = await request<{ id: string }>(t.baseUrl, 'POST', hooks, { bearer: ADMIN_TOKEN, body: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['notification.created'] } });
    expect(sub.status).toBe(201);
    const webhookDeliveries = async () => (await request<{ items: unknown[] }>(t.baseUrl, 'GET', `${hooks}/${sub.body.id}/deliveries`, { bearer: ADMIN_TOKEN })).body.items.length;
    // orders: email, web push and the webhook on by default; only the in-app copy is muted.
    const prefs = await api<{ categories: Record<string, { channels: Record<string, boolean> }> }>(alice, 'PUT', '/preferences', { categories: { orders: { channels: { in_app: false } } } });
    expect(prefs.body.categories['orders']!.channels).toEqual({ in_app: false, email: true, web_push: true, webhook: true });
    const phone = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: alice.token });
    await phone.waitForOpen();
    const counts = async () => (await api<{ unseen: number; unread: number; version: number }>(alice, 'GET', '/notifications/counts')).body;
    const badge = await counts();
    const [hooksBefore, emailsBefore] = [await webhookDeliveries(), smtp.received.length];

    await t.api.services.get(Ports.UnitOfWork).run((tx) =>
      tx.events.publish([t.api.services.get(EventFactory).create(storeOrderShipped, 'order-m1', { orderId: 'm1', userId: alice.userId, trackingUrl: 'https://track.example/m1' })]),
    );
    await t.api.services.get(HandlerWorker).drain();

    // The email goes out at once (no device can read it first, so no grace period) and the app hears of it.
    const records = (await request<{ items: (ChannelDeliveryJson & { notificationId: string; category: string })[] }>(t.baseUrl, 'GET', `/api/v1/admin/channel-deliveries?userId=${alice.userId}&channel=email&status=pending`, { bearer: ADMIN_TOKEN })).body.items;
    const record = records.find((r) => r.category === 'orders');
    expect(record).toBeDefined();
    await t.api.services.get(ChannelWorker).runOnce(new Date());
    await smtp.waitForEmails(emailsBefore + 1);
    expect(smtp.received.slice(emailsBefore).map((e) => [e.to, e.mail.subject])).toEqual([[['alice@example.com'], 'Your order has shipped']]);
    expect(await webhookDeliveries()).toBe(hooksBefore + 1);

    // A notification alice does see, after it: once her phone has that one, it had every event before it.
    const { id: shownId } = await notify(alice, 'Shown after the muted one');
    await phone.waitForEvent('notification.created', (e) => (e['data'] as { notificationId: string }).notificationId === shownId);
    expect(phone.ofType('notification.created').map((e) => (e.data['data'] as { category: string }).category)).toEqual(['test']);
    const listed = await api<{ items: { id: string; category: string }[] }>(alice, 'GET', '/notifications?archived=any');
    expect(listed.body.items.map((n) => n.category)).not.toContain('orders');
    expect((await api(alice, 'GET', `/notifications/${record!.notificationId}`)).status).toBe(404);
    expect((await api(alice, 'PATCH', `/notifications/${record!.notificationId}`, { status: 'read' })).status).toBe(404);
    // Only the shown one moved the badge.
    expect(await counts()).toMatchObject({ unseen: badge.unseen + 1, unread: badge.unread + 1 });
    phone.close();
    await api(alice, 'PUT', '/preferences', { categories: { orders: { channels: { in_app: true } } } });
  });

  it('lists send records for the operator, filtered', async () => {
    const res = await request<{ items: ChannelDeliveryJson[] }>(t.baseUrl, 'GET', `/api/v1/admin/channel-deliveries?userId=${bob.userId}&status=skipped`, { bearer: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((d) => d.status === 'skipped')).toBe(true);
    expect((await request(t.baseUrl, 'GET', '/api/v1/admin/channel-deliveries', { bearer: alice.token })).status).toBe(401);
    expect((await request(t.baseUrl, 'GET', '/api/v1/admin/channel-deliveries?status=nope', { bearer: ADMIN_TOKEN })).body).toMatchObject({ error: { field: 'status' } });
  });

  it("deleting a user removes their send records with the rest of their data", async () => {
    const listed = async () =>
      (await request<{ items: ChannelDeliveryJson[] }>(t.baseUrl, 'GET', `/api/v1/admin/channel-deliveries?userId=${bob.userId}`, { bearer: ADMIN_TOKEN })).body.items.length;
    expect(await listed()).toBeGreaterThan(0);
    expect((await request(t.baseUrl, 'DELETE', `/api/v1/admin/users/${bob.userId}`, { bearer: ADMIN_TOKEN })).status).toBe(204);
    expect(await listed()).toBe(0);
  });
});
