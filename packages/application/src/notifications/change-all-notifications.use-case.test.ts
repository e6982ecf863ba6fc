import { describe, expect, it } from '@jest/globals';
import { EventFactory, Notification } from '@pushline/domain';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { ChangeAllNotifications } from './change-all-notifications.use-case.js';
import { GetNotificationCounts } from './get-notification-counts.use-case.js';

describe('ChangeAllNotifications', () => {
  async function setup() {
    const clock = new FixedClock('2026-01-01T00:00:00.000Z');
    const uow = new InMemoryUnitOfWork();
    for (const [id, category, s] of [['a', 'orders', 1], ['b', 'orders', 2], ['c', 'security', 3]] as const) {
      await uow.notifications.save(Notification.create({ id, tenantId: 't1', userId: 'u1', title: id, category, now: new Date(clock.now().getTime() + s * 1000) }));
    }
    await uow.notifications.save(Notification.create({ id: 'x', tenantId: 't1', userId: 'u2', title: 'x', now: clock.now() }));
    clock.advance(10_000);
    const events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/api');
    return { uow, clock, bulk: new ChangeAllNotifications(uow, clock, events), counts: new GetNotificationCounts(uow.notificationCounts) };
  }

  it('reads all of a category in one go: one bulk_changed with the ids, then the counts', async () => {
    const { uow, bulk, counts } = await setup();

    const result = await bulk.execute({ tenantId: 't1', userId: 'u1', change: 'read', filter: { category: 'orders' } });

    expect(result).toEqual({ changed: 2, counts: { unseen: 1, unread: 1, version: 1 } });
    expect(uow.committedEvents.map((e) => [e.type, e.data])).toEqual([
      ['notification.bulk_changed', { userId: 'u1', change: 'read', notificationIds: ['b', 'a'], changedAt: '2026-01-01T00:00:10.000Z' }],
      ['notification.counts', { userId: 'u1', unseen: 1, unread: 1, version: 1 }],
    ]);
    await expect(counts.execute({ tenantId: 't1', userId: 'u1' })).resolves.toEqual(result.counts);
    await expect(counts.execute({ tenantId: 't1', userId: 'u2' })).resolves.toEqual({ unseen: 1, unread: 1, version: 0 });
  });

  it('archives all before a time; nothing left to change emits nothing', async () => {
    const { uow, bulk } = await setup();

    const archived = await bulk.execute({ tenantId: 't1', userId: 'u1', change: 'archived', filter: { before: new Date('2026-01-01T00:00:02.500Z') } });
    const again = await bulk.execute({ tenantId: 't1', userId: 'u1', change: 'archived', filter: { before: new Date('2026-01-01T00:00:02.500Z') } });

    expect(archived.changed).toBe(2);
    expect(again).toEqual({ changed: 0, counts: archived.counts });
    expect(uow.committedEvents.map((e) => e.type)).toEqual(['notification.bulk_changed', 'notification.counts']);
    expect(uow.notifications.rows.get('c')?.archivedAt).toBeNull();
  });

  it("changes and counts nothing for the user's id under another tenant (defence in depth), and emits nothing", async () => {
    const { uow, bulk, counts } = await setup();

    await expect(bulk.execute({ tenantId: 't2', userId: 'u1', change: 'read' })).resolves.toEqual({ changed: 0, counts: { unseen: 0, unread: 0, version: 0 } });
    await expect(counts.execute({ tenantId: 't2', userId: 'u1' })).resolves.toEqual({ unseen: 0, unread: 0, version: 0 });

    expect(uow.committedEvents).toEqual([]);
    expect(uow.notifications.rows.get('a')?.readAt).toBeNull();
    await expect(counts.execute({ tenantId: 't1', userId: 'u1' })).resolves.toEqual({ unseen: 3, unread: 3, version: 0 });
  });
});
