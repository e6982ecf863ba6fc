import { describe, expect, it } from '@jest/globals';
import { NotFoundError, ValidationError, WebhookSubscription, type AppInstallationRepository, type AppRepository, type DomainEvent, type EventArchive } from '@pushline/domain';
import { EventMother, FixedClock, InMemoryWebhookDeliveryLog, InMemoryWebhookQueue, InMemoryWebhookSubscriptionRepository } from '@pushline/testing';
import { ReplayEventsToWebhook } from './replay-events-to-webhook.use-case.js';

// Stand-ins for the #10 ports, reduced to what the replay reads (their fakes with contracts are
// InMemoryAppRepository, InMemoryAppInstallationRepository and InMemoryEventArchive once merged).
function platform() {
  const stored = new Map<string, { event: DomainEvent; recipients: string[]; broadcastTo?: string }>();
  const installed = new Set<string>();
  const archive: Pick<EventArchive, 'findByIds' | 'recipientsOf' | 'broadcastTenantOf'> = {
    findByIds: async (ids) => ids.flatMap((id) => (stored.has(id) ? [stored.get(id)!.event] : [])),
    recipientsOf: async (id) => stored.get(id)?.recipients ?? [],
    broadcastTenantOf: async (id) => stored.get(id)?.broadcastTo ?? null,
  };
  const apps: Pick<AppRepository, 'findById'> = {
    findById: async (id) => (id === 'app-1' ? { id, tenantId: 'tenant-a', name: 'One', slug: 'one', createdAt: new Date(0) } : null),
  };
  const installations: Pick<AppInstallationRepository, 'installedAmong' | 'installedUsers'> = {
    installedAmong: async (tenantId, appId, userIds) => new Set(userIds.filter((u) => installed.has(`${tenantId}/${appId}/${u}`))),
    installedUsers: async (tenantId, appId) => [...installed].filter((k) => k.startsWith(`${tenantId}/${appId}/`)).map((k) => k.split('/')[2]!),
  };
  return {
    archive: archive as EventArchive,
    apps: apps as AppRepository,
    installations: installations as AppInstallationRepository,
    store: (event: DomainEvent, recipients: string[]) => stored.set(event.id, { event, recipients }),
    /** A tenant broadcast: in the tenant's shared stream, in no user's. */
    storeBroadcast: (event: DomainEvent) => stored.set(event.id, { event, recipients: [], broadcastTo: event.tenantid! }),
    install: (userId: string, tenantId = 'tenant-a') => installed.add(`${tenantId}/app-1/${userId}`),
  };
}

function setup(subscription: { owner?: string; eventTypes?: string[]; userIds?: string[] } = {}) {
  const p = platform();
  const subscriptions = new InMemoryWebhookSubscriptionRepository();
  const queue = new InMemoryWebhookQueue(subscriptions);
  const clock = new FixedClock();
  let nudged = 0;
  const s = WebhookSubscription.create({ tenantId: 'tenant-test',
    id: 'hook-1',
    owner: subscription.owner ?? 'app-1',
    url: 'https://hooks.example.com/',
    eventTypes: subscription.eventTypes ?? ['notification.*'],
    userIds: subscription.userIds ?? [],
    secret: 'whsec_dGVzdA==',
    now: clock.now(),
  });
  void subscriptions.add(s);
  const replay = new ReplayEventsToWebhook(
    { subscriptions, apps: p.apps, installations: p.installations, archive: p.archive, deliveries: new InMemoryWebhookDeliveryLog(queue, subscriptions), clock },
    () => void (nudged += 1),
  );
  return { ...p, queue, replay, nudged: () => nudged };
}

const inTenant = (event: DomainEvent, tenantid = 'tenant-a'): DomainEvent => ({ ...event, tenantid });

describe('ReplayEventsToWebhook', () => {
  it('queues what the live path would send, as replays, and reports every other event with its reason', async () => {
    const t = setup();
    t.install('alice');
    const mine = inTenant(EventMother.created('alice'));
    const notInstalled = inTenant(EventMother.created('bob'));
    const otherTenant = inTenant(EventMother.created('alice'), 'tenant-b');
    const otherType = inTenant({ ...EventMother.created('alice'), type: 'store.order_shipped' });
    t.store(mine, ['alice']);
    t.store(notInstalled, ['bob']);
    t.store(otherTenant, ['alice']);
    t.store(otherType, ['alice']);

    const result = await t.replay.execute({ subscriptionId: 'hook-1', eventIds: [mine.id, notInstalled.id, otherTenant.id, otherType.id, mine.id] });
    expect(result.skipped).toEqual([
      { eventId: notInstalled.id, reason: 'no_reachable_user' },
      { eventId: otherTenant.id, reason: 'other_tenant' },
      { eventId: otherType.id, reason: 'event_type_not_subscribed' },
    ]);
    expect(result.queued).toEqual([{ eventId: mine.id, deliveryId: expect.any(String) }]);
    const row = t.queue.rows.get(result.queued[0]!.deliveryId)!;
    expect(row).toMatchObject({ subscriptionId: 'hook-1', eventId: mine.id, replay: true, status: 'pending' });
    expect(JSON.parse(row.payload)).toEqual(JSON.parse(JSON.stringify(mine)));
    expect(t.nudged()).toBe(1);
  });

  it("keeps to the subscription's user filter", async () => {
    const t = setup({ userIds: ['carol'] });
    t.install('alice');
    t.install('carol');
    const toAlice = inTenant(EventMother.created('alice'));
    const toBoth = inTenant(EventMother.created('alice'));
    t.store(toAlice, ['alice']);
    t.store(toBoth, ['alice', 'carol']);
    const result = await t.replay.execute({ subscriptionId: 'hook-1', eventIds: [toAlice.id, toBoth.id] });
    expect(result.queued.map((q) => q.eventId)).toEqual([toBoth.id]);
    expect(result.skipped).toEqual([{ eventId: toAlice.id, reason: 'no_reachable_user' }]);
  });

  it('replays a broadcast of its tenant when a member installed the app (within the user filter), as the live path sends it', async () => {
    const t = setup({ eventTypes: ['*'] });
    const broadcast = inTenant({ ...EventMother.created('nobody'), type: 'maintenance.window' });
    t.storeBroadcast(broadcast);
    await expect(t.replay.execute({ subscriptionId: 'hook-1', eventIds: [broadcast.id] })).resolves.toMatchObject({ queued: [], skipped: [{ eventId: broadcast.id, reason: 'no_reachable_user' }] });
    t.install('alice');
    await expect(t.replay.execute({ subscriptionId: 'hook-1', eventIds: [broadcast.id] })).resolves.toMatchObject({ queued: [{ eventId: broadcast.id }], skipped: [] });

    const filtered = setup({ eventTypes: ['*'], userIds: ['carol'] });
    filtered.install('alice');
    filtered.storeBroadcast(broadcast);
    await expect(filtered.replay.execute({ subscriptionId: 'hook-1', eventIds: [broadcast.id] })).resolves.toMatchObject({ skipped: [{ reason: 'no_reachable_user' }] });
  });

  it('sends nothing for a subscription whose owner is no app', async () => {
    const t = setup({ owner: 'not-an-app' });
    const event = inTenant(EventMother.created('alice'));
    t.store(event, ['alice']);
    await expect(t.replay.execute({ subscriptionId: 'hook-1', eventIds: [event.id] })).resolves.toEqual({
      webhookId: 'hook-1',
      queued: [],
      skipped: [{ eventId: event.id, reason: 'other_tenant' }],
    });
    expect(t.queue.rows.size).toBe(0);
    expect(t.nudged()).toBe(0);
  });

  it('refuses an unknown subscription, an unknown event, another owner and a bad list, queueing nothing', async () => {
    const t = setup();
    t.install('alice');
    const event = inTenant(EventMother.created('alice'));
    t.store(event, ['alice']);
    await expect(t.replay.execute({ subscriptionId: 'nope', eventIds: [event.id] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.replay.execute({ subscriptionId: 'hook-1', eventIds: [event.id, 'nope'] })).rejects.toThrow(/event nope/);
    await expect(t.replay.execute({ owner: { tenantId: 'tenant-test', appId: 'app-2' }, subscriptionId: 'hook-1', eventIds: [event.id] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.replay.execute({ subscriptionId: 'hook-1', eventIds: [] })).rejects.toBeInstanceOf(ValidationError);
    await expect(t.replay.execute({ subscriptionId: 'hook-1', eventIds: Array.from({ length: 101 }, (_, i) => `e${i}`) })).rejects.toBeInstanceOf(ValidationError);
    expect(t.queue.rows.size).toBe(0);
  });
});
