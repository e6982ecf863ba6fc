import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventFactory, type DomainEvent } from '@pushline/domain';
import { SequentialIdGenerator, WebhookReceiver } from '@pushline/testing';
import { Ports } from '../../src/composition/ports.js';
import { request, type LoggedIn } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture, type TestApp } from '../support/platform-fixture.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

interface ReplayAnswer {
  webhookId: string;
  queued: { eventId: string; deliveryId: string }[];
  skipped: { eventId: string; reason: string }[];
}

/**
 * Issue #11's operator replay to one subscription, end to end: a real server on PostgreSQL, a loopback
 * receiver that verifies every request with `standardwebhooks`. The events are stored before the
 * subscription exists, so everything the receiver gets is a replay.
 */
describe('operator replay to a webhook', () => {
  let t: TestApi;
  let p: PlatformFixture;
  let app: TestApp;
  let receiver: WebhookReceiver;
  let webhookId: string;
  const events: Record<string, DomainEvent> = {};

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50' } });
    p = new PlatformFixture(t.baseUrl);
    const [tenantA, tenantB] = [await p.tenant('A'), await p.tenant('B')];
    app = await p.registerApp(tenantA, 'replayed', ['webhooks:manage']);
    const otherApp = await p.registerApp(tenantB, 'elsewhere', ['webhooks:manage']);
    const installed: LoggedIn = await p.user(tenantA);
    const notInstalled = await p.user(tenantA);
    const otherTenant = await p.user(tenantB);
    await p.install(installed, app.id);
    await p.install(otherTenant, otherApp.id);

    // Stored through the real outbox, as a publish would.
    const factory = new EventFactory(new SequentialIdGenerator(`replay-${randomUUID()}`), { now: () => new Date() }, '/test');
    const uow = t.api.services.get(Ports.UnitOfWork);
    const write = async (name: string, type: string, tenantId: string, userId: string) => {
      const event = factory.stamp({ type, version: 1, subject: name, data: { name } }, { tenantId });
      events[name] = event;
      await uow.run((tx) => tx.events.publishTo([userId], [event]));
    };
    await write('mine', 'notification.created', tenantA, installed.userId);
    await write('notInstalled', 'notification.created', tenantA, notInstalled.userId);
    await write('otherTenant', 'notification.created', tenantB, otherTenant.userId);
    await write('otherType', 'store.order_shipped', tenantA, installed.userId);

    const created = await p.app<{ id: string; secret: string }>(app, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/not-yet', eventTypes: ['notification.*'] });
    expect(created.status).toBe(201);
    webhookId = created.body.id;
    // The receiver verifies with the subscription's own secret, handed out once at creation.
    receiver = await WebhookReceiver.start({ secrets: [created.body.secret] });
    expect((await p.app(app, 'PATCH', `/webhooks/${webhookId}`, { url: receiver.url })).status).toBe(200);
  });

  afterAll(async () => {
    await receiver?.close();
    await t?.stop();
  });

  const replay = (eventIds: readonly string[], target: unknown = { webhookId }) => p.admin<ReplayAnswer>('POST', '/events/replay', { eventIds, target });

  it('sends only what the subscription may receive, as signed replays with new webhook-ids and the stored envelope', async () => {
    const all = ['mine', 'notInstalled', 'otherTenant', 'otherType'].map((n) => events[n]!.id);
    const answer = await replay(all);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      webhookId,
      queued: [{ eventId: events.mine!.id, deliveryId: expect.any(String) }],
      skipped: [
        { eventId: events.notInstalled!.id, reason: 'no_reachable_user' },
        { eventId: events.otherTenant!.id, reason: 'other_tenant' },
        { eventId: events.otherType!.id, reason: 'event_type_not_subscribed' },
      ],
    });

    await receiver.waitForRequests(1);
    const [first] = receiver.received;
    expect(first!.verified).toEqual([true]);
    expect(first!.headers['pushline-replay']).toBe('true');
    expect(first!.id).toBe(answer.body.queued[0]!.deliveryId);
    // The same CloudEvents body the stream carries, from the stored envelope.
    expect(JSON.parse(first!.body)).toEqual(JSON.parse(JSON.stringify(events.mine)));

    // Replaying again is a new delivery with a new webhook-id: the receiver is meant to process it again.
    const again = await replay([events.mine!.id]);
    expect(again.status).toBe(201);
    await receiver.waitForRequests(2);
    expect(receiver.received[1]!.id).toBe(again.body.queued[0]!.deliveryId);
    expect(receiver.received[1]!.id).not.toBe(first!.id);
    expect(receiver.received.map((r) => r.verified[0])).toEqual([true, true]);

    // The app's delivery log shows both, marked as replays; nothing went out for the skipped events.
    const log = await p.app<{ items: { id: string; eventId: string; replay: boolean; status: string }[] }>(app, 'GET', `/webhooks/${webhookId}/deliveries`);
    expect(log.body.items.map((d) => [d.id, d.eventId, d.replay])).toEqual([
      [again.body.queued[0]!.deliveryId, events.mine!.id, true],
      [first!.id, events.mine!.id, true],
    ]);
    expect(receiver.received).toHaveLength(2);
  });

  it("keeps to the subscription's user filter", async () => {
    const filtered = await p.app<{ id: string }>(app, 'POST', '/webhooks', { url: receiver.url, eventTypes: ['*'], userIds: ['someone-else'], enabled: false });
    const answer = await replay([events.mine!.id, events.otherType!.id], { webhookId: filtered.body.id });
    expect(answer.body).toEqual({
      webhookId: filtered.body.id,
      queued: [],
      skipped: [
        { eventId: events.mine!.id, reason: 'no_reachable_user' },
        { eventId: events.otherType!.id, reason: 'no_reachable_user' },
      ],
    });
  });

  it('answers 404 for an unknown webhook or an unknown event, and queues nothing', async () => {
    const before = (await p.app<{ items: unknown[] }>(app, 'GET', `/webhooks/${webhookId}/deliveries`)).body.items.length;
    await expect(replay([events.mine!.id], { webhookId: 'no-such-webhook' })).resolves.toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    await expect(replay([events.mine!.id, 'no-such-event'])).resolves.toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const after = (await p.app<{ items: unknown[] }>(app, 'GET', `/webhooks/${webhookId}/deliveries`)).body.items.length;
    expect(after).toBe(before);
  });

  it('refuses bad input with a 400 naming the field, and callers without ADMIN_TOKEN', async () => {
    await expect(replay([events.mine!.id], { webhookId: '' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'target.webhookId' } } });
    await expect(replay(Array.from({ length: 101 }, (_, i) => `e${i}`))).resolves.toMatchObject({ status: 400, body: { error: { field: 'eventIds' } } });
    // An app's own key is not the operator's token, even for its own subscription.
    const asApp = await request(t.baseUrl, 'POST', '/api/v1/admin/events/replay', { bearer: app.key, body: { eventIds: [events.mine!.id], target: { webhookId } } });
    expect(asApp.status).toBe(401);
  });
});
