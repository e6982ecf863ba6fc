import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EventFactory, notificationCreated, type DomainEvent, type EventLog } from '@pushline/domain';
import { EventMother } from '../mothers/event.mother.js';

export interface EventLogUnderTest {
  readonly eventLog: EventLog;
  /** Appends events to their audiences' streams and commits them, as a unit of work would. */
  append(events: readonly DomainEvent[]): Promise<void>;
  /** Removes the user's entries up to and including `cursor`, as retention would. */
  trimThrough(userId: string, cursor: number): Promise<void>;
  teardown?(): Promise<void>;
}

const factory = new EventFactory({ next: () => randomUUID() }, { now: () => new Date() }, '/pushline/contract');

const readEvent = (userId: string): DomainEvent => EventMother.read(userId);

/**
 * The behaviour every EventLog adapter must show. Each test works on users of its own, so an adapter
 * may share one database across the whole suite.
 */
export function describeEventLogContract(name: string, setup: () => EventLogUnderTest | Promise<EventLogUnderTest>): void {
  describe(`${name} (EventLog contract)`, () => {
    let subject: EventLogUnderTest;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    const cursorsOf = async (userId: string, after = 0, limit = 1_000) =>
      (await subject.eventLog.readAfter(userId, after, limit)).map((e) => e.cursor);

    it('has an empty stream for a user without events', async () => {
      const userId = randomUUID();

      await expect(subject.eventLog.readAfter(userId, 0, 10)).resolves.toEqual([]);
      await expect(subject.eventLog.headCursor(userId)).resolves.toBe(0);
      await expect(subject.eventLog.oldestRetainedCursor(userId)).resolves.toBeNull();
    });

    it('reads the entries after a cursor, ascending, at most `limit`', async () => {
      const userId = randomUUID();
      const appended = Array.from({ length: 5 }, () => readEvent(userId));
      await subject.append(appended);

      await expect(subject.eventLog.readAfter(userId, 0, 10)).resolves.toEqual(
        appended.map((event, i) => ({ userId, cursor: i + 1, event })),
      );
      await expect(cursorsOf(userId, 2, 2)).resolves.toEqual([3, 4]);
      await expect(cursorsOf(userId, 5, 10)).resolves.toEqual([]);
      await expect(subject.eventLog.headCursor(userId)).resolves.toBe(5);
    });

    it("keeps each user's stream separate", async () => {
      const alice = randomUUID();
      const bob = randomUUID();

      await subject.append([readEvent(alice), readEvent(bob), readEvent(alice)]);

      await expect(cursorsOf(alice)).resolves.toEqual([1, 2]);
      await expect(cursorsOf(bob)).resolves.toEqual([1]);
      await expect(subject.eventLog.headCursor(bob)).resolves.toBe(1);
    });

    it('returns every envelope exactly as appended, optional attributes included or absent', async () => {
      const userId = randomUUID();
      const notificationId = randomUUID();
      const full = factory.create(
        notificationCreated,
        notificationId,
        {
          notificationId,
          userId,
          title: 'Grüße 👋 "quoted" \\ back',
          body: '',
          priority: 'high',
          data: { nested: { list: [1, 'two', null], flag: false }, empty: '' },
          createdAt: '2026-05-01T10:00:00.123Z',
        },
        { correlationId: 'req-1', causationId: 'req-0', deviceId: 'phone' },
      );
      const minimal = readEvent(userId);

      await subject.append([full, minimal]);

      const [first, second] = await subject.eventLog.readAfter(userId, 0, 10);
      expect(first?.event).toEqual(full);
      expect(second?.event).toEqual(minimal);
      expect(Object.keys(second!.event).sort()).toEqual(Object.keys(minimal).sort());
    });

    it('after trimming, reports the oldest retained cursor and keeps numbering from the head', async () => {
      const userId = randomUUID();
      await subject.append(Array.from({ length: 5 }, () => readEvent(userId)));

      await subject.trimThrough(userId, 3);

      await expect(cursorsOf(userId)).resolves.toEqual([4, 5]);
      await expect(subject.eventLog.oldestRetainedCursor(userId)).resolves.toBe(4);
      await expect(subject.eventLog.headCursor(userId)).resolves.toBe(5);
      await subject.append([readEvent(userId)]);
      await expect(cursorsOf(userId)).resolves.toEqual([4, 5, 6]);
    });

    it('keeps the head cursor when every entry was trimmed', async () => {
      const userId = randomUUID();
      await subject.append([readEvent(userId), readEvent(userId)]);

      await subject.trimThrough(userId, 2);

      await expect(cursorsOf(userId)).resolves.toEqual([]);
      await expect(subject.eventLog.headCursor(userId)).resolves.toBe(2);
      await expect(subject.eventLog.oldestRetainedCursor(userId)).resolves.toBe(3);
    });
  });
}
