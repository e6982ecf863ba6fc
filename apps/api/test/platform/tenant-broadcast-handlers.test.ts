import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventHandlerRegistry } from '@pushline/application';
import { WebhookReceiver } from '@pushline/testing';
import { HandlerWorker } from '../../src/jobs/handler-worker.js';
import { createNotification, type LoggedIn } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture, type TestApp } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

const MAINTENANCE = 'store.maintenance_scheduled';
const OWN_TYPE = 'maintenance.window';

/** `<personal>.<tenant>` or `<personal>` as the stream sent it. */
const tenantPosition = (id: string) => Number(id.split('.')[1] ?? 0);
const bodyId = (body: string) => (JSON.parse(body) as { id: string }).id;

/**
 * Issue #10's broadcasts beside the rest of the platform, end to end on a real server: the event
 * handlers (the tenant-wide routing rule), an app's webhook (a loopback receiver that verifies with
 * `standardwebhooks`), the operator's replay and the operator's query by user.
 */
describe('tenant broadcast: handlers, webhooks, replay and the operator query', () => {
  let t: TestApi;
  let p: PlatformFixture;
  let acme: string;
  let globex: string;
  let members: LoggedIn[];
  let outsider: LoggedIn;
  let app: TestApp;
  let receiver: WebhookReceiver;
  let elsewhere: WebhookReceiver;
  const clients: { close(): void }[] = [];

  const broadcast = (tenantId: string, type: string, data: unknown, subject = 'shop') => p.admin<{ id: string }>('POST', `/tenants/${tenantId}/events`, { type, subject, data });
  const device = (who: LoggedIn, lastEventId?: string) => {
    const client = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: who.token, ...(lastEventId && { headers: { 'Last-Event-ID': lastEventId } }) }, [OWN_TYPE]);
    clients.push(client);
    return client;
  };
  const subscribe = async (owner: TestApp, eventTypes: string[]) => {
    const created = await p.app<{ id: string; secret: string }>(owner, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/not-yet', eventTypes });
    expect([created.status, created.body]).toEqual([201, expect.anything()]);
    const hooks = await WebhookReceiver.start({ secrets: [created.body.secret] });
    expect((await p.app(owner, 'PATCH', `/webhooks/${created.body.id}`, { url: hooks.url })).status).toBe(200);
    return hooks;
  };

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50', HANDLER_POLL_MS: '60000' } });
    p = new PlatformFixture(t.baseUrl);
    [acme, globex] = [await p.tenant('Acme'), await p.tenant('Globex')];
    members = [await p.user(acme), await p.user(acme), await p.user(acme)];
    outsider = await p.user(globex);
    app = await p.registerApp(acme, 'shopwatch', ['webhooks:manage']);
    const otherApp = await p.registerApp(globex, 'globexwatch', ['webhooks:manage']);
    // One member installed the app: the app hears about the tenant's broadcasts (as it would of that member's events).
    await p.install(members[0]!, app.id);
    await p.install(outsider, otherApp.id);
    // An operator's own type is in no catalog, so only `*` selects it (a pattern must match a declared type).
    receiver = await subscribe(app, ['*']);
    elsewhere = await subscribe(otherApp, ['*']);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await receiver?.close();
    await elsewhere?.close();
    await t?.stop();
  });

  it('runs the tenant-wide routing rule once per broadcast: exactly one announcement per active member, one handler job per handler', async () => {
    const phones = members.map((m) => device(m));
    const outsiderPhone = device(outsider);
    await Promise.all([...phones, outsiderPhone].map((d) => d.waitForOpen()));

    const sent = await broadcast(acme, MAINTENANCE, { startsAt: '2026-12-24T22:00:00.000Z', message: 'Checkout is paused.' });
    expect(sent.status).toBe(201);
    const id = sent.body.id;
    const db = t.api.database.prisma;
    // Per event, not per member: one job for each handler of the type, none per recipient.
    const handlers = t.api.services.get(EventHandlerRegistry).subscribersOf(MAINTENANCE);
    expect(handlers).toContain('notification-rules');
    await expect(db.eventHandlerJob.count({ where: { eventId: id } })).resolves.toBe(handlers.length);

    await t.api.services.get(HandlerWorker).drain();
    const isAnnouncement = (d: Record<string, unknown>) => (d['data'] as { category?: string }).category === 'announcements';
    await Promise.all(phones.map((phone) => phone.waitForEvent('notification.created', isAnnouncement)));
    // Handled again (at-least-once): the rule is idempotent by event id.
    await db.eventHandlerJob.updateMany({ where: { eventId: id }, data: { status: 'pending', runAt: new Date(), lockedUntil: null } });
    await t.api.services.get(HandlerWorker).drain();

    for (const [i, phone] of phones.entries()) {
      await phone.waitUntil(() => phone.ofType(MAINTENANCE).length > 0, 'the broadcast itself');
      expect(phone.ofType(MAINTENANCE).map((e) => e.data['id'])).toEqual([id]);
      expect(phone.ofType('notification.created').map((e) => e.data['data'] as Record<string, unknown>)).toEqual([
        expect.objectContaining({ title: 'Scheduled maintenance', category: 'announcements', source: 'rule:maintenance-scheduled', userId: members[i]!.userId }),
      ]);
    }
    const made = await db.notification.groupBy({ by: ['userId'], where: { source: 'rule:maintenance-scheduled', tenantId: acme }, _count: { _all: true } });
    expect(made.map((r) => [r.userId, r._count._all]).sort()).toEqual(members.map((m) => [m.userId, 1]).sort());
    await expect(db.notification.count({ where: { userId: outsider.userId } })).resolves.toBe(0);
    expect(outsiderPhone.events.filter((e) => e.type === MAINTENANCE || e.type === 'notification.created')).toEqual([]);
    // The app's webhook saw the broadcast as it sees a published event: once, signed.
    await receiver.waitUntil(() => receiver.received.some((r) => bodyId(r.body) === id), 'the broadcast posted');
    expect(receiver.received.filter((r) => bodyId(r.body) === id).map((r) => r.verified)).toEqual([[true]]);
  });

  it("posts a broadcast to the webhook of an app installed in the tenant, signed, once per subscription; another tenant's app gets nothing", async () => {
    const sent = await broadcast(acme, OWN_TYPE, { from: '02:00', to: '03:00' });
    expect(sent.status).toBe(201);
    await receiver.waitUntil(() => receiver.received.some((r) => bodyId(r.body) === sent.body.id), 'the broadcast posted');
    const posted = receiver.received.filter((r) => bodyId(r.body) === sent.body.id);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.verified).toEqual([true]);
    expect(JSON.parse(posted[0]!.body)).toMatchObject({ id: sent.body.id, type: OWN_TYPE, tenantid: acme, source: '/pushline/operator', data: { from: '02:00', to: '03:00' } });
    // Deliveries are written with the broadcast: this one's rows say who may ever get it.
    const deliveries = await t.api.database.prisma.webhookDelivery.findMany({ where: { eventId: sent.body.id }, select: { subscriptionId: true } });
    expect(deliveries).toHaveLength(1);
    expect(elsewhere.received.map((r) => bodyId(r.body))).not.toContain(sent.body.id);
  });

  it('replays a broadcast as one new entry of the tenant stream pointing at the original, live on SSE and WebSocket', async () => {
    const phone = device(members[1]!);
    await phone.waitForOpen();
    const original = (await broadcast(acme, OWN_TYPE, { from: '04:00' }, 'to replay')).body.id;
    await phone.waitUntil(() => phone.ofType(OWN_TYPE).some((e) => e.data['id'] === original), 'the original, live');
    const seam = phone.ofType(OWN_TYPE).find((e) => e.data['id'] === original)!.id;
    // A second device of the same user, from the same position, on the other transport.
    const ws = new WsDeliveryClient(t.baseUrl, { bearer: members[1]!.token, lastEventId: seam });
    clients.push(ws);
    await ws.waitForOpen();

    const replayed = await p.admin<{ items: unknown[] }>('POST', '/events/replay', { eventIds: [original], target: { stream: true } });
    expect(replayed.status).toBe(201);
    expect(replayed.body.items).toEqual([{ eventId: original, replayId: expect.any(String), recipients: 0, tenantId: acme }]);
    const { replayId } = (replayed.body.items as { replayId: string }[])[0]!;

    await phone.waitUntil(() => phone.ofType(OWN_TYPE).some((e) => e.data['id'] === replayId), 'the replay on SSE');
    await ws.waitUntil(() => ws.events.some((e) => e.data.id === replayId), 'the replay on WS');
    const copy = phone.ofType(OWN_TYPE).find((e) => e.data['id'] === replayId)!;
    expect(copy.data).toMatchObject({ replayof: original, type: OWN_TYPE, tenantid: acme, data: { from: '04:00' } });
    expect(tenantPosition(copy.id)).toBe(tenantPosition(seam) + 1);
    const db = t.api.database.prisma;
    await expect(db.tenantStreamEvent.count({ where: { eventId: replayId, tenantId: acme } })).resolves.toBe(1);
    await expect(db.streamEvent.count({ where: { eventId: replayId } })).resolves.toBe(0);
  });

  it("lists a user's broadcasts among the user's events under ?userId=, newest first across pages, and not another tenant's user's", async () => {
    const member = members[1]!;
    await createNotification(t.baseUrl, member.token, 'own');
    const latest = (await broadcast(acme, OWN_TYPE, { from: '05:00' }, 'listed')).body.id;

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string; type: string }[]; nextCursor: string | null } } = await p.admin(
        'GET',
        `/events?userId=${member.userId}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await p.admin<{ items: { id: string; tenantid: string }[] }>('GET', `/events?tenantId=${acme}&limit=100`);
    const stored = await t.api.database.prisma.event.findMany({ where: { id: { in: ids } }, select: { id: true, type: true } });
    expect(ids[0]).toBe(latest);
    expect(new Set(ids).size).toBe(ids.length);
    // In the archive's own newest-first order; every broadcast of the tenant is there.
    expect(ids).toEqual(all.body.items.map((e) => e.id).filter((id) => ids.includes(id)));
    const broadcasts = await t.api.database.prisma.tenantStreamEvent.findMany({ where: { tenantId: acme }, select: { eventId: true } });
    expect(ids).toEqual(expect.arrayContaining(broadcasts.map((b) => b.eventId)));
    expect(stored.some((e) => e.type === 'notification.created')).toBe(true);

    const theirs = await p.admin<{ items: { id: string }[] }>('GET', `/events?userId=${outsider.userId}&limit=100`);
    expect(theirs.body.items.map((e) => e.id)).not.toContain(latest);
  });
});
