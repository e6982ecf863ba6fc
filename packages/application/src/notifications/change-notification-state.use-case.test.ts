import { beforeEach, describe, expect, it } from '@jest/globals';
import { ConflictError, EventFactory, Notification, NotFoundError } from '@pushline/domain';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { ChangeNotificationState } from './change-notification-state.use-case.js';
import { DeleteNotification } from './delete-notification.use-case.js';

const createdAt = new Date('2026-01-01T00:00:00.000Z');

describe('ChangeNotificationState and DeleteNotification', () => {
  let clock: FixedClock;
  let uow: InMemoryUnitOfWork;
  let change: ChangeNotificationState;
  let remove: DeleteNotification;
  const types = () => uow.committedEvents.map((e) => e.type);

  beforeEach(async () => {
    clock = new FixedClock(createdAt);
    uow = new InMemoryUnitOfWork();
    await uow.notifications.save(Notification.create({ id: 'n1', tenantId: 't1', userId: 'u1', title: 'Hello', now: createdAt, expiresAt: new Date('2026-01-02T00:00:00Z') }));
    await uow.notifications.save(Notification.create({ id: 'n2', tenantId: 't1', userId: 'u1', title: 'Other', now: createdAt }));
    clock.advance(5_000);
    const events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/api');
    change = new ChangeNotificationState(uow, clock, events);
    remove = new DeleteNotification(uow, clock, events);
  });

  it('reads, saves, emits notification.read with the whole state, then the counts with a new version', async () => {
    const result = await change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n1', status: 'read' }, { correlationId: 'req-9', deviceId: 'phone' });

    const changedAt = '2026-01-01T00:00:05.000Z';
    expect(result.notification).toMatchObject({ id: 'n1', readAt: clock.now(), seenAt: clock.now() });
    expect(result.counts).toEqual({ unseen: 1, unread: 1, version: 1 });
    expect(uow.committedEvents).toEqual([
      expect.objectContaining({
        type: 'notification.read',
        subject: 'n1',
        data: expect.objectContaining({ notificationId: 'n1', status: 'read', state: expect.objectContaining({ readAt: changedAt, seenAt: changedAt }), changedAt }),
        correlationid: 'req-9',
        deviceid: 'phone',
      }),
      expect.objectContaining({ type: 'notification.counts', subject: 'u1', data: { userId: 'u1', unseen: 1, unread: 1, version: 1 } }),
    ]);
  });

  it('applies status, snooze and archive together, one event each and one counts', async () => {
    const result = await change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n2', status: 'clicked', archived: true });

    expect(types()).toEqual(['notification.clicked', 'notification.archived', 'notification.counts']);
    expect(result.counts).toEqual({ unseen: 1, unread: 1, version: 1 });
    await change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n2', archived: false });
    expect(types().slice(-2)).toEqual(['notification.unarchived', 'notification.counts']);
    expect(uow.notifications.rows.get('n2')).toMatchObject({ archivedAt: null, clickedAt: new Date('2026-01-01T00:00:05.000Z') });
  });

  it('emits nothing when nothing changes, and answers the current counts', async () => {
    await change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n1', status: 'read' });
    const again = await change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n1', status: 'read' });

    expect(types()).toEqual(['notification.read', 'notification.counts']);
    expect(again.counts).toEqual({ unseen: 1, unread: 1, version: 1 });
  });

  it('refuses to read an expired notification with a conflict carrying its state; nothing is written', async () => {
    clock.set('2026-01-03T00:00:00.000Z');

    await expect(change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n1', status: 'read' })).rejects.toThrow(
      expect.objectContaining({ constructor: ConflictError, current: expect.objectContaining({ id: 'n1', status: 'unread' }) }),
    );
    expect(uow.committedEvents).toEqual([]);
    expect(uow.notifications.rows.get('n1')?.readAt).toBeNull();
  });

  it('rolls back every change of the request when a later one is refused', async () => {
    await change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n2', archived: true });
    const refused = change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n2', status: 'read', snoozedUntil: new Date('2026-02-01T00:00:00Z') });

    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    expect(uow.notifications.rows.get('n2')?.readAt).toBeNull();
    expect(types()).toEqual(['notification.archived', 'notification.counts']);
  });

  it('deletes softly: notification.deleted, counts drop, and the notification is gone for every later call', async () => {
    const deleted = await remove.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n2' });

    expect(deleted.counts).toEqual({ unseen: 1, unread: 1, version: 1 });
    expect(uow.notifications.rows.get('n2')?.deletedAt).toEqual(clock.now());
    expect(types()).toEqual(['notification.deleted', 'notification.counts']);
    await expect(change.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n2', status: 'read' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(remove.execute({ userId: 'u1', tenantId: 't1', notificationId: 'n2' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ["another user's notification", { userId: 'u2', tenantId: 't1', notificationId: 'n1' }],
    ["another tenant's (same user id)", { userId: 'u1', tenantId: 't2', notificationId: 'n1' }],
    ['an unknown notification', { userId: 'u1', tenantId: 't1', notificationId: 'nope' }],
  ])('reports %s as not found and changes nothing', async (_, who) => {
    await expect(change.execute({ ...who, archived: true })).rejects.toThrow(new NotFoundError('notification', who.notificationId));
    await expect(remove.execute(who)).rejects.toBeInstanceOf(NotFoundError);
    expect(uow.notifications.rows.get('n1')?.archivedAt).toBeNull();
    expect(uow.committedEvents).toEqual([]);
  });
});
