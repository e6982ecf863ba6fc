import { describe, expect, it } from '@jest/globals';
import { EventFactory } from '@pushline/domain';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { ChangeNotificationStatus } from './change-notification-status.use-case.js';
import { CreateNotification } from './create-notification.use-case.js';

function setup(emitUnreadCount: boolean) {
  const uow = new InMemoryUnitOfWork();
  const clock = new FixedClock('2026-05-01T10:00:00.000Z');
  const ids = new SequentialIdGenerator('n');
  const events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
  return {
    uow,
    create: new CreateNotification(uow, ids, clock, events, { emitUnreadCount }),
    change: new ChangeNotificationStatus(uow, clock, events, { emitUnreadCount }),
  };
}

const unreadCounts = (uow: InMemoryUnitOfWork) =>
  uow.committedEvents.filter((e) => e.type === 'notification.unread_count').map((e) => [e.subject, (e.data as { unread: number }).unread]);

describe('notification.unread_count from CreateNotification and ChangeNotificationStatus', () => {
  it('follows every create and status change with the new count, in the same unit of work', async () => {
    const { uow, create, change } = setup(true);
    const [first] = await create.execute({ tenantId: 't1', userIds: ['u1'], title: 'one' });
    await create.execute({ tenantId: 't1', userIds: ['u1'], title: 'two' });
    await create.execute({ tenantId: 't1', userIds: ['u2'], title: 'other user' });
    await change.execute({ tenantId: 't1', userId: 'u1', notificationId: first!.id, status: 'read' });
    await change.execute({ tenantId: 't1', userId: 'u1', notificationId: first!.id, status: 'read' });

    expect(unreadCounts(uow)).toEqual([['u1', 1], ['u1', 2], ['u2', 1], ['u1', 1]]);
    expect(uow.committedEvents.map((e) => e.type).slice(0, 2)).toEqual(['notification.created', 'notification.unread_count']);
    expect(uow.events.entriesOf('u1').map((e) => e.cursor)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('emits no count unless asked to', async () => {
    const { uow, create } = setup(false);
    await create.execute({ tenantId: 't1', userIds: ['u1'], title: 'one' });
    expect(unreadCounts(uow)).toEqual([]);
  });
});
