import { beforeEach, describe, expect, it } from '@jest/globals';
import { EventFactory, NOTIFICATION_LIMITS, ValidationError, type StreamEntry } from '@pushline/domain';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { CreateNotification, type CreatedNotification, type CreateNotificationInput } from './create-notification.use-case.js';

describe('CreateNotification', () => {
  let uow: InMemoryUnitOfWork;
  let published: StreamEntry[];
  let createNotification: CreateNotification;

  beforeEach(() => {
    const clock = new FixedClock('2026-02-03T04:05:06.000Z');
    const broker = new InMemoryStreamBroker();
    published = [];
    broker.subscribe((entry) => published.push(entry));
    uow = new InMemoryUnitOfWork(undefined, undefined, broker);
    const events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/api');
    createNotification = new CreateNotification(uow, new SequentialIdGenerator('n'), clock, events);
  });

  it('stores the notification and emits one notification.created with the request context', async () => {
    const input = { tenantId: 't1', userIds: ['u1'], title: ' Hello ', body: 'World', priority: 'high', data: { url: '/x' } } as const;

    const [snapshot] = (await createNotification.execute(input, {
      correlationId: 'req-1',
      causationId: 'req-0',
      deviceId: 'laptop',
    })) as [CreatedNotification];

    const createdAt = new Date('2026-02-03T04:05:06.000Z');
    const { counts, ...stored } = snapshot;
    expect(stored).toEqual({
      id: 'n-1',
      tenantId: 't1',
      userId: 'u1',
      title: 'Hello',
      body: 'World',
      priority: 'high',
      category: 'test',
      source: 'user',
      action: null,
      data: { url: '/x' },
      expiresAt: null,
      groupKey: null,
      inApp: true,
      seenAt: null,
      readAt: null,
      clickedAt: null,
      archivedAt: null,
      snoozedUntil: null,
      expiredAt: null,
      deletedAt: null,
      createdAt,
      updatedAt: createdAt,
    });
    expect(counts).toEqual({ unseen: 1, unread: 1, version: 1 });
    expect([...uow.notifications.rows.values()]).toEqual([stored]);
    expect(uow.committedEvents[1]).toMatchObject({ type: 'notification.counts', subject: 'u1', data: { userId: 'u1', unseen: 1, unread: 1, version: 1 } });
    expect(uow.committedEvents.slice(0, 1)).toEqual([
      {
        specversion: '1.0',
        id: 'evt-1',
        source: '/pushline/api',
        type: 'notification.created',
        dataversion: 2,
        time: '2026-02-03T04:05:06.000Z',
        subject: 'n-1',
        datacontenttype: 'application/json',
        data: {
          notificationId: 'n-1',
          userId: 'u1',
          title: 'Hello',
          body: 'World',
          priority: 'high',
          category: 'test',
          source: 'user',
          action: null,
          data: { url: '/x' },
          expiresAt: null,
          groupKey: null,
          createdAt: '2026-02-03T04:05:06.000Z',
        },
        correlationid: 'req-1',
        causationid: 'req-0',
        tenantid: 't1',
        deviceid: 'laptop',
      },
    ]);
  });

  it("appends the event to the owner's stream and hands it to the broker after commit", async () => {
    await createNotification.execute({ tenantId: 't1', userIds: ['u1'], title: 'one' });
    await createNotification.execute({ tenantId: 't1', userIds: ['u1'], title: 'two' });

    expect(uow.events.entriesOf('u1').map((e) => [e.cursor, e.event.type, e.event.subject])).toEqual([
      [1, 'notification.created', 'n-1'],
      [2, 'notification.counts', 'u1'],
      [3, 'notification.created', 'n-2'],
      [4, 'notification.counts', 'u1'],
    ]);
    expect(published).toEqual(uow.events.entriesOf('u1'));
    expect(uow.events.entriesOf('u2')).toEqual([]);
  });

  it('omits the context extensions when there is no context', async () => {
    await createNotification.execute({ tenantId: 't1', userIds: ['u1'], title: 'Hello' });

    const [event] = uow.committedEvents;
    expect(event).not.toHaveProperty('correlationid');
    expect(event).not.toHaveProperty('causationid');
    expect(event).not.toHaveProperty('deviceid');
    expect(event?.data).toMatchObject({ body: '', priority: 'normal', data: null });
  });

  it('keeps at most maxPerUser: the oldest archived one goes first, and every device learns it was deleted', async () => {
    const clock = new FixedClock('2026-02-03T04:05:06.000Z');
    const events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/api');
    const capped = new CreateNotification(uow, new SequentialIdGenerator('c'), clock, events, { maxPerUser: 2 });
    const [first] = (await capped.execute({ tenantId: 't1', userIds: ['u1'], title: 'one' })) as [CreatedNotification];
    clock.advance(1000);
    const [second] = (await capped.execute({ tenantId: 't1', userIds: ['u1'], title: 'two' })) as [CreatedNotification];
    const archived = uow.notifications.rows.get(second.id)!;
    uow.notifications.rows.set(second.id, { ...archived, archivedAt: clock.now(), seenAt: clock.now() });
    clock.advance(1000);

    const [third] = (await capped.execute({ tenantId: 't1', userIds: ['u1'], title: 'three' })) as [CreatedNotification];

    expect([...uow.notifications.rows.keys()].sort()).toEqual([first.id, third.id].sort());
    expect(uow.committedEvents.slice(-3).map((e) => [e.type, e.subject])).toEqual([
      ['notification.created', third.id],
      ['notification.deleted', second.id],
      ['notification.counts', 'u1'],
    ]);
    expect(third.counts).toEqual({ unseen: 2, unread: 2, version: 3 });
  });

  it.each<[string, Partial<CreateNotificationInput>]>([
    ['title', { title: '  ' }],
    ['title', { title: 'x'.repeat(NOTIFICATION_LIMITS.titleMax + 1) }],
    ['body', { body: 'x'.repeat(NOTIFICATION_LIMITS.bodyMax + 1) }],
    ['data', { data: { blob: 'x'.repeat(NOTIFICATION_LIMITS.dataMaxBytes) } }],
  ])('rejects a bad %s naming the field; nothing is stored or emitted', async (field, override) => {
    await expect(createNotification.execute({ tenantId: 't1', userIds: ['u1'], title: 'ok', ...override })).rejects.toThrow(
      expect.objectContaining({ field, constructor: ValidationError }),
    );

    expect(uow.notifications.rows.size).toBe(0);
    expect(uow.committedEvents).toEqual([]);
    expect(uow.events.entriesOf('u1')).toEqual([]);
    expect(published).toEqual([]);
  });
});
