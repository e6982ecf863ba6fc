import { describe, expect, it } from '@jest/globals';
import { EventFactory, storeMaintenanceScheduled, type DomainEvent, type NotificationOwner, type PreferenceRepository, type User } from '@pushline/domain';
import { FixedClock, InMemoryPreferenceRepository, InMemoryUnitOfWork, InMemoryUserRepository, SequentialIdGenerator } from '@pushline/testing';
import { CreateNotification } from './create-notification.use-case.js';
import { RouteNotificationsHandler } from './route-notifications.handler.js';
import { ROUTING_RULES } from './routing-rules.js';

async function setup() {
  const clock = new FixedClock('2026-04-01T09:00:00.000Z');
  const uow = new InMemoryUnitOfWork();
  const factory = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
  const preferences = new InMemoryPreferenceRepository();
  const users = new InMemoryUserRepository();
  const member = (id: string, tenantId: string, i: number, disabled = false): User => ({
    id, tenantId, email: `${id}@example.com`, passwordHash: null, externalId: null,
    disabledAt: disabled ? new Date('2026-03-01T00:00:00.000Z') : null, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  });
  // t1: five members, m3 disabled; t2: two members who must get nothing.
  for (const [i, u] of ['m1', 'm2', 'm3', 'm4', 'm5'].entries()) await users.upsertByEmail(member(u, 't1', i, u === 'm3'));
  for (const [i, u] of ['o1', 'o2'].entries()) await users.upsertByEmail(member(u, 't2', 10 + i));
  const create = new CreateNotification(uow, new SequentialIdGenerator('n'), clock, factory);
  const handler = (prefs: PreferenceRepository = preferences) => new RouteNotificationsHandler(create, prefs, ROUTING_RULES, users, { pageSize: 2 });
  const scheduled = (tenantId = 't1'): DomainEvent =>
    factory.create(storeMaintenanceScheduled, 'maintenance', { startsAt: '2026-04-02T22:00:00.000Z', endsAt: '2026-04-02T23:00:00.000Z', message: 'Checkout is paused.' }, { tenantId });
  // Who sees it in the app; `channelOnly`: who gets it by email, push or webhook only (in-app muted).
  const recipients = () => [...uow.notifications.rows.values()].filter((n) => n.inApp).map((n) => n.userId).sort();
  const channelOnly = () => [...uow.notifications.rows.values()].filter((n) => !n.inApp).map((n) => n.userId).sort();
  return { uow, preferences, handler, scheduled, recipients, channelOnly };
}

describe('a tenant-wide routing rule (maintenance-scheduled)', () => {
  it('notifies every active member of the event\'s tenant, page by page, and nobody else', async () => {
    const { uow, handler, scheduled, recipients } = await setup();

    await handler().handle(scheduled());

    expect(recipients()).toEqual(['m1', 'm2', 'm4', 'm5']);
    expect([...uow.notifications.rows.values()][0]).toMatchObject({
      title: 'Scheduled maintenance',
      body: 'Checkout is paused. From 2026-04-02T22:00:00.000Z to 2026-04-02T23:00:00.000Z.',
      priority: 'high',
      category: 'announcements',
      source: 'rule:maintenance-scheduled',
      tenantId: 't1',
    });
    expect(uow.committedEvents.filter((e) => e.type === 'notification.created').every((e) => e.tenantid === 't1')).toBe(true);
  });

  it('is idempotent by event id: handled again, it creates nothing twice', async () => {
    const { uow, handler, scheduled, recipients } = await setup();
    const event = scheduled();
    await handler().handle(event);
    await handler().handle(event);
    expect(recipients()).toEqual(['m1', 'm2', 'm4', 'm5']);
    expect(uow.committedEvents.filter((e) => e.type === 'notification.created')).toHaveLength(4);
  });

  it('a page that fails writes nothing of itself; the retry finishes the rest without duplicates', async () => {
    const { handler, scheduled, recipients, preferences } = await setup();
    const event = scheduled();
    let failing = true;
    // The second page (m3 disabled is skipped, so m4) cannot be read once: that page throws before writing.
    const flaky = { forUser: async (owner: NotificationOwner) => { if (failing && owner.userId === 'm4') throw new Error('database went away'); return preferences.forUser(owner); }, save: preferences.save.bind(preferences) };

    await expect(handler(flaky).handle(event)).rejects.toThrow('database went away');
    expect(recipients()).toEqual(['m1', 'm2']);
    failing = false;
    await handler(flaky).handle(event);
    expect(recipients()).toEqual(['m1', 'm2', 'm4', 'm5']);
  });

  it('obeys each member\'s in-app preference for the category, and reaches nobody without a tenant', async () => {
    const { handler, scheduled, recipients, channelOnly, preferences } = await setup();
    await preferences.save({ tenantId: 't1', userId: 'm2' }, { announcements: { in_app: false } }, new Date());
    await handler().handle(scheduled());
    expect(recipients()).toEqual(['m1', 'm4', 'm5']);
    // announcements email is on by default: m2 still gets the email.
    expect(channelOnly()).toEqual(['m2']);

    const other = await setup();
    const { tenantid: _none, ...withoutTenant } = other.scheduled();
    await other.handler().handle(withoutTenant as DomainEvent);
    expect(other.recipients()).toEqual([]);
  });

  it('fails (to be retried) rather than loop without bound on a tenant larger than its page limit', async () => {
    const { scheduled, preferences, recipients } = await setup();
    const clock = new FixedClock('2026-04-01T09:00:00.000Z');
    const uow = new InMemoryUnitOfWork();
    const create = new CreateNotification(uow, new SequentialIdGenerator('n'), clock, new EventFactory(new SequentialIdGenerator('e'), clock, '/t'));
    const endless = { findById: async () => null, listByTenant: async () => ({ items: [], nextCursor: 'more' }) };
    const bounded = new RouteNotificationsHandler(create, preferences, ROUTING_RULES, endless, { pageSize: 2, maxPages: 3 });
    await expect(bounded.handle(scheduled())).rejects.toThrow('more than 6 members');
    expect(recipients()).toEqual([]);
  });
});
