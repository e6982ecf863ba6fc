import { describe, expect, it } from '@jest/globals';
import { EventFactory, Notification } from '@pushline/domain';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { ExpireDueNotifications } from './expire-due-notifications.use-case.js';

describe('ExpireDueNotifications', () => {
  it('on a controllable clock: expires what passed expiresAt, wakes what is due, and only once', async () => {
    const clock = new FixedClock('2026-03-01T10:00:00.000Z');
    const uow = new InMemoryUnitOfWork();
    const at = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000);
    await uow.notifications.save(Notification.create({ id: 'soon', tenantId: 't1', userId: 'u1', title: 'sale ends', now: clock.now(), expiresAt: at(10) }));
    await uow.notifications.save(Notification.create({ id: 'later', tenantId: 't1', userId: 'u1', title: 'later', now: clock.now(), expiresAt: at(60) }));
    const snoozed = Notification.create({ id: 'nap', tenantId: 't1', userId: 'u1', title: 'remind me', now: clock.now() });
    snoozed.snooze(at(15), clock.now());
    await uow.notifications.save(snoozed);
    const events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/api');
    const worker = new ExpireDueNotifications(uow, clock, events, 1);

    await expect(worker.execute()).resolves.toEqual({ expired: 0, unsnoozed: 0 });
    clock.advance(20 * 60_000);
    const [first, second] = await Promise.all([worker.execute(), worker.execute()]);

    expect(first.expired + second.expired).toBe(1);
    expect(first.unsnoozed + second.unsnoozed).toBe(1);
    expect(uow.committedEvents.map((e) => [e.type, e.subject])).toEqual([
      // Oldest first, ties by id.
      ['notification.unsnoozed', 'nap'],
      ['notification.counts', 'u1'],
      ['notification.expired', 'soon'],
      ['notification.counts', 'u1'],
    ]);
    expect(uow.committedEvents.at(-1)?.data).toEqual({ userId: 'u1', unseen: 2, unread: 2, version: 2 });
    expect(uow.notifications.rows.get('soon')?.expiredAt).toEqual(clock.now());
    expect(uow.notifications.rows.get('later')?.expiredAt).toBeNull();
  });
});
