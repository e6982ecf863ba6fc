import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  EventFactory,
  InvalidEventError,
  Notification,
  notificationRead,
  presenceTyping,
  type DomainEvent,
  type StreamEntry,
  type EventLog,
  type NotificationRepository,
  type UnitOfWork,
  type UserRepository,
} from '@pushline/domain';
import { givenUser as givenOwner, TEST_TENANT_ID } from '../mothers/user.mother.js';

export interface UnitOfWorkUnderTest {
  readonly unitOfWork: UnitOfWork;
  /** Reads what was committed, outside any unit of work. */
  readonly notifications: NotificationRepository;
  readonly eventLog: EventLog;
  /** Creates the owners first (a database adapter enforces the foreign key). */
  readonly users: UserRepository;
  /** What the adapter pushed live (its StreamFanOut for ephemeral events records here). */
  readonly pushed: readonly StreamEntry[];
  teardown?(): Promise<void>;
}

const events = new EventFactory({ next: () => randomUUID() }, { now: () => new Date() }, '/pushline/contract');

function readEvent(userId: string, notificationId: string = randomUUID()): DomainEvent {
  return events.create(notificationRead, notificationId, {
    notificationId,
    userId,
    status: 'read',
    changedAt: new Date().toISOString(),
  });
}

/**
 * The behaviour every UnitOfWork adapter must show: state changes and events commit together or not
 * at all, and each user's stream numbers its entries 1, 2, 3… without gaps. Each test works on users
 * of its own, so an adapter may share one database across the whole suite.
 */
export function describeUnitOfWorkContract(
  name: string,
  setup: () => UnitOfWorkUnderTest | Promise<UnitOfWorkUnderTest>,
): void {
  describe(`${name} (UnitOfWork contract)`, () => {
    let subject: UnitOfWorkUnderTest;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    const givenUser = (): Promise<string> => givenOwner(subject.users);

    function newNotification(userId: string): Notification {
      return Notification.create({ id: randomUUID(), tenantId: TEST_TENANT_ID, userId, title: 'Hello', now: new Date('2026-05-01T10:00:00Z') });
    }

    async function cursorsAndIds(userId: string): Promise<{ cursors: number[]; ids: string[] }> {
      const entries = await subject.eventLog.readAfter(userId, 0, 1_000);
      return { cursors: entries.map((e) => e.cursor), ids: entries.map((e) => e.event.id) };
    }

    it('commits the state change and its events together, and returns what the work returned', async () => {
      const userId = await givenUser();
      const notification = newNotification(userId);
      const event = readEvent(userId, notification.id);

      const result = await subject.unitOfWork.run(async (scope) => {
        await scope.notifications.save(notification);
        await scope.events.publish([event]);
        return 'done';
      });

      expect(result).toBe('done');
      expect((await subject.notifications.findById(notification.id))?.toSnapshot()).toEqual(notification.toSnapshot());
      await expect(subject.eventLog.readAfter(userId, 0, 10)).resolves.toEqual([{ userId, cursor: 1, event }]);
      await expect(subject.eventLog.headCursor(userId)).resolves.toBe(1);
    });

    it('publishTo appends to exactly the given streams, each at its own next cursor, even for types outside the catalog', async () => {
      const [a, b, c] = [await givenUser(), await givenUser(), await givenUser()];
      await subject.unitOfWork.run((scope) => scope.events.publish([readEvent(a)]));
      const appEvent = { ...readEvent(a), type: 'someapp.task.assigned' };

      await subject.unitOfWork.run((scope) => scope.events.publishTo([b, a, b], [appEvent]));

      await expect(cursorsAndIds(a)).resolves.toMatchObject({ cursors: [1, 2] });
      await expect(cursorsAndIds(b)).resolves.toEqual({ cursors: [1], ids: [appEvent.id] });
      await expect(cursorsAndIds(c)).resolves.toEqual({ cursors: [], ids: [] });
    });

    it('leaves neither the state change nor the events when the work throws', async () => {
      const userId = await givenUser();
      const notification = newNotification(userId);
      const failure = new Error('use case failed after writing');

      const run = subject.unitOfWork.run(async (scope) => {
        await scope.notifications.save(notification);
        await scope.events.publish([readEvent(userId, notification.id)]);
        throw failure;
      });

      await expect(run).rejects.toBe(failure);
      await expect(subject.notifications.findById(notification.id)).resolves.toBeNull();
      await expect(subject.eventLog.readAfter(userId, 0, 10)).resolves.toEqual([]);
      await expect(subject.eventLog.headCursor(userId)).resolves.toBe(0);
    });

    it('rejects an event type missing from the catalog and keeps nothing of the unit', async () => {
      const userId = await givenUser();
      const notification = newNotification(userId);
      const unknown = { ...readEvent(userId, notification.id), type: 'notification.teleported' };

      const run = subject.unitOfWork.run(async (scope) => {
        await scope.notifications.save(notification);
        await scope.events.publish([readEvent(userId), unknown]);
      });

      await expect(run).rejects.toBeInstanceOf(InvalidEventError);
      await expect(subject.notifications.findById(notification.id)).resolves.toBeNull();
      await expect(subject.eventLog.headCursor(userId)).resolves.toBe(0);
    });

    it('never stores an ephemeral event; pushes it after commit without a cursor, and not after a rollback', async () => {
      const userId = await givenUser();
      const typing = (on: boolean): DomainEvent =>
        events.create(presenceTyping, userId, { userId, subject: 'reply', typing: on, at: new Date().toISOString() });
      const stored = readEvent(userId);
      const live = typing(true);

      await subject.unitOfWork.run((scope) => scope.events.publish([live, stored]));
      await expect(
        subject.unitOfWork.run(async (scope) => {
          await scope.events.publish([typing(false)]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      await expect(subject.eventLog.readAfter(userId, 0, 10)).resolves.toEqual([{ userId, cursor: 1, event: stored }]);
      const mine = subject.pushed.filter((e) => e.userId === userId && e.ephemeral);
      expect(mine).toEqual([{ userId, cursor: 0, ephemeral: true, event: live }]);
    });

    it("numbers each user's entries 1, 2, 3… across units, in publish order", async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const first = [readEvent(alice), readEvent(alice), readEvent(alice)];
      const second = [readEvent(alice), readEvent(bob), readEvent(alice)];

      await subject.unitOfWork.run((scope) => scope.events.publish(first));
      await subject.unitOfWork.run(async (scope) => {
        await scope.events.publish(second.slice(0, 2));
        await scope.events.publish(second.slice(2));
      });

      await expect(cursorsAndIds(alice)).resolves.toEqual({
        cursors: [1, 2, 3, 4, 5],
        ids: [...first, second[0]!, second[2]!].map((e) => e.id),
      });
      await expect(cursorsAndIds(bob)).resolves.toEqual({ cursors: [1], ids: [second[1]!.id] });
      await expect(subject.eventLog.headCursor(alice)).resolves.toBe(5);
    });

    it('gives concurrent units for one user distinct, gap-free cursors', async () => {
      const userId = await givenUser();
      const batches = Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => readEvent(userId)));

      await Promise.all(batches.map((batch) => subject.unitOfWork.run((scope) => scope.events.publish(batch))));

      const { cursors, ids } = await cursorsAndIds(userId);
      expect(cursors).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(ids)).toEqual(new Set(batches.flat().map((e) => e.id)));
      // One publish call lands as one consecutive run, in its own order.
      for (const batch of batches) {
        const start = ids.indexOf(batch[0]!.id);
        expect(ids.slice(start, start + batch.length)).toEqual(batch.map((e) => e.id));
      }
    });
  });
}
