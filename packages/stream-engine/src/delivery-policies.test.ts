import { describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import {
  defineEventType,
  EventFactory,
  EventTypeRegistry,
  notificationCreated,
  notificationUnreadCount,
  presenceTyping,
  type DomainEvent,
  type StreamEntry,
} from '@pushline/domain';
import { EventMother, FixedClock, InMemoryEventStore, InMemoryUnitOfWork, RecordingDeviceSink, SequentialIdGenerator } from '@pushline/testing';
import { z } from 'zod';
import { StreamHub, DEFAULT_STREAM_HUB_OPTIONS } from './stream-hub.js';
import { EventTypeFilter } from './event-type-filter.js';
import { UpcastingEventLog } from './upcasting-event-log.js';

const USER = 'u1';
const clock = new FixedClock(new Date('2026-05-01T10:00:00Z'));
const factory = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');

function unread(count: number): DomainEvent {
  return factory.create(notificationUnreadCount, USER, { userId: USER, unread: count, at: clock.now().toISOString() });
}

function typing(on: boolean): DomainEvent {
  return factory.create(presenceTyping, USER, { userId: USER, subject: 'reply', typing: on, at: clock.now().toISOString() });
}

function setup(store = new InMemoryEventStore(), log = store as ConstructorParameters<typeof StreamHub>[1]) {
  const broker = new InMemoryStreamBroker();
  const unitOfWork = new InMemoryUnitOfWork(undefined, store, broker);
  const errors: unknown[] = [];
  const hub = new StreamHub(broker, log, clock, DEFAULT_STREAM_HUB_OPTIONS, (e) => errors.push(e));
  hub.start();
  const open = async (resumeFrom: number | null = null) => {
    const sink = new RecordingDeviceSink();
    const identity = { userId: USER, sessionId: 's1', expiresAt: new Date('2027-01-01T00:00:00Z') };
    const session = await hub.open({ identity, resumeFrom, filter: EventTypeFilter.all, excludeOwn: false }, sink);
    return { sink, session };
  };
  const publish = (...events: DomainEvent[]) => unitOfWork.run((tx) => tx.events.publish(events));
  return { hub, store, unitOfWork, open, publish, errors };
}

describe('delivery policies', () => {
  describe('ephemeral', () => {
    it('reaches connected devices live, without a cursor, and is never stored or replayed', async () => {
      const { store, open, publish, hub } = setup();
      const { sink, session } = await open();
      const created = EventMother.created(USER);

      await publish(typing(true));
      await publish(created);
      await sink.waitForEntries(2);

      expect(sink.entries.map((e) => [e.event.type, e.cursor, e.ephemeral ?? false])).toEqual([
        ['presence.typing', 0, true],
        ['notification.created', 1, false],
      ]);
      expect(session.cursor).toBe(1);
      expect(store.entriesOf(USER).map((e) => e.event.type)).toEqual(['notification.created']);

      const { sink: later } = await open(0);
      expect(later.types()).toEqual(['notification.created']);
      hub.shutdown();
    });

    it('leaves the cursor alone, so the next stored entry still follows without a gap', async () => {
      const { open, publish, hub } = setup();
      const { sink, session } = await open();

      await publish(EventMother.created(USER));
      await publish(typing(true), EventMother.created(USER));
      await sink.waitForEntries(3);

      // The unit's stored entries are published first, then its ephemeral ones.
      expect(sink.cursors()).toEqual([1, 2, 0]);
      expect(session.cursor).toBe(2);
      hub.shutdown();
    });
  });

  describe('latest-wins', () => {
    it('sends a replaying device only the newest value per subject; skipped entries still advance the cursor', async () => {
      const { open, publish, hub } = setup();
      await publish(unread(1));
      await publish(EventMother.created(USER));
      await publish(unread(2));
      await publish(unread(3));

      const { sink, session } = await open(0);

      expect(sink.types()).toEqual(['notification.created', 'notification.unread_count']);
      expect(sink.entries.map((e) => e.cursor)).toEqual([2, 4]);
      expect((sink.entries[1]!.event.data as { unread: number }).unread).toBe(3);
      expect(session.cursor).toBe(4);

      // Live again: the next entry follows on from the last skipped one, no gap and no repeat.
      await publish(unread(4));
      await sink.waitForEntries(3);
      expect(sink.cursors()).toEqual([2, 4, 5]);
      hub.shutdown();
    });

    it('holds back live values while the send buffer is above the low-water mark, then sends only the newest', async () => {
      const { open, publish, hub } = setup();
      const { sink, session } = await open();
      sink.bufferedBytes = 100 * 1024;
      sink.holdWrites();

      await publish(unread(1));
      await publish(EventMother.created(USER));
      await publish(unread(2));
      await publish(unread(3));
      expect(sink.entries).toEqual([]);

      sink.bufferedBytes = 0;
      sink.releaseWrites();
      await sink.waitForEntries(2);

      expect(sink.types()).toEqual(['notification.created', 'notification.unread_count']);
      expect(sink.entries.map((e) => (e.event.data as { unread?: number }).unread)).toEqual([undefined, 3]);
      expect(session.cursor).toBe(4);
      hub.shutdown();
    });

    it('keeps every value of a must-deliver type', async () => {
      const { open, publish, hub } = setup();
      await publish(EventMother.created(USER), EventMother.created(USER), EventMother.created(USER));
      const { sink } = await open(0);
      expect(sink.cursors()).toEqual([1, 2, 3]);
      hub.shutdown();
    });
  });
});

describe('versioning', () => {
  const v1 = z.object({ userId: z.string(), name: z.string() });
  const v2 = z.object({ userId: z.string(), firstName: z.string(), lastName: z.string() });
  const renamedV2 = defineEventType({
    name: 'profile.renamed',
    version: 2,
    description: 'test type at v2',
    schema: v2,
    delivery: 'must-deliver',
    audience: (data) => [data.userId],
    upcasters: {
      1: (data) => {
        const [firstName = '', ...rest] = String(data['name']).split(' ');
        return { userId: data['userId'], firstName, lastName: rest.join(' ') };
      },
    },
  });
  const types = new EventTypeRegistry([notificationCreated, renamedV2]);

  it('upcasts v1 entries stored in the log to v2 on replay; current ones pass as they are', async () => {
    const store = new InMemoryEventStore(types);
    const stored: DomainEvent = {
      ...factory.create(renamedV2, USER, { userId: USER, firstName: 'x', lastName: 'y' }),
      dataversion: 1,
      data: v1.parse({ userId: USER, name: 'Ada King Lovelace' }),
    };
    store.appendRaw(USER, stored);
    const current = factory.create(renamedV2, USER, { userId: USER, firstName: 'Grace', lastName: 'Hopper' });
    store.append([current]);

    const { open, hub } = setup(store, new UpcastingEventLog(store, types));
    const { sink } = await open(0);

    expect(sink.entries.map((e: StreamEntry) => [e.event.dataversion, e.event.data])).toEqual([
      [2, { userId: USER, firstName: 'Ada', lastName: 'King Lovelace' }],
      [2, { userId: USER, firstName: 'Grace', lastName: 'Hopper' }],
    ]);
    expect(sink.entries.map((e) => e.event.id)).toEqual([stored.id, current.id]);
    expect(v2.safeParse(sink.entries[0]!.event.data).success).toBe(true);
    hub.shutdown();
  });

  it('refuses a declaration whose upcaster is not from an older version', () => {
    expect(() =>
      defineEventType({ ...renamedV2, name: 'profile.renamed_again', version: 1, upcasters: { 1: (d) => d } }),
    ).toThrow('upcaster from version 1 must be below version 1');
  });
});
