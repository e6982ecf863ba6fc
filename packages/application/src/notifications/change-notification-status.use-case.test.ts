import { beforeEach, describe, expect, it } from '@jest/globals';
import { EventFactory, Notification, NotFoundError, type ChangeableStatus } from '@pushline/domain';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { ChangeNotificationStatus } from './change-notification-status.use-case.js';

const createdAt = new Date('2026-01-01T00:00:00.000Z');

describe('ChangeNotificationStatus', () => {
  let clock: FixedClock;
  let uow: InMemoryUnitOfWork;
  let changeStatus: ChangeNotificationStatus;

  beforeEach(async () => {
    clock = new FixedClock(createdAt);
    uow = new InMemoryUnitOfWork();
    await uow.notifications.save(Notification.create({ id: 'n1', tenantId: 't1', userId: 'u1', title: 'Hello', now: createdAt }));
    clock.advance(5_000);
    const events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/api');
    changeStatus = new ChangeNotificationStatus(uow, clock, events);
  });

  it.each<[ChangeableStatus, string]>([
    ['read', 'notification.read'],
    ['dismissed', 'notification.dismissed'],
    ['clicked', 'notification.clicked'],
  ])('sets %s, saves it and emits %s', async (status, type) => {
    const snapshot = await changeStatus.execute(
      { tenantId: 't1', userId: 'u1', notificationId: 'n1', status },
      { correlationId: 'req-9', deviceId: 'phone' },
    );

    const changedAt = new Date('2026-01-01T00:00:05.000Z');
    expect(snapshot).toMatchObject({ id: 'n1', status, createdAt, updatedAt: changedAt });
    expect(uow.notifications.rows.get('n1')).toEqual(snapshot);
    expect(uow.committedEvents).toEqual([
      expect.objectContaining({
        type,
        subject: 'n1',
        time: changedAt.toISOString(),
        data: { notificationId: 'n1', userId: 'u1', status, changedAt: changedAt.toISOString() },
        correlationid: 'req-9',
        deviceid: 'phone',
      }),
    ]);
    expect(uow.events.entriesOf('u1').map((e) => e.event.type)).toEqual([type]);
  });

  it('emits once when the same status is set twice', async () => {
    const first = await changeStatus.execute({ tenantId: 't1', userId: 'u1', notificationId: 'n1', status: 'read' });
    clock.advance(1_000);
    const second = await changeStatus.execute({ tenantId: 't1', userId: 'u1', notificationId: 'n1', status: 'read' });

    expect(second).toEqual(first);
    expect(uow.committedEvents.map((e) => e.type)).toEqual(['notification.read']);
  });

  it('emits again for a different status', async () => {
    await changeStatus.execute({ tenantId: 't1', userId: 'u1', notificationId: 'n1', status: 'read' });
    await changeStatus.execute({ tenantId: 't1', userId: 'u1', notificationId: 'n1', status: 'clicked' });

    expect(uow.committedEvents.map((e) => e.type)).toEqual(['notification.read', 'notification.clicked']);
    expect(uow.notifications.rows.get('n1')?.status).toBe('clicked');
  });

  it.each([
    ["another user's notification", { tenantId: 't1', userId: 'u2', notificationId: 'n1' }],
    ['an unknown notification', { tenantId: 't1', userId: 'u1', notificationId: 'nope' }],
  ])('reports %s as not found and changes nothing', async (_, who) => {
    const before = uow.notifications.rows.get('n1');

    await expect(changeStatus.execute({ ...who, status: 'dismissed' })).rejects.toThrow(
      new NotFoundError('notification', who.notificationId),
    );

    expect(uow.notifications.rows.get('n1')).toBe(before);
    expect(uow.notifications.rows.get('n1')?.status).toBe('unread');
    expect(uow.committedEvents).toEqual([]);
  });
});
