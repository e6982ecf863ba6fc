import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  Notification,
  ValidationError,
  type NewNotification,
  type NotificationRepository,
  type UserRepository,
} from '@pushline/domain';
import { givenUser as givenOwner, TEST_TENANT_ID } from '../mothers/user.mother.js';
import { describeNotificationQueries } from './notification-queries.contract.js';

export interface NotificationRepositoryUnderTest {
  readonly notifications: NotificationRepository;
  /** Creates the owners first (a database adapter enforces the foreign key). */
  readonly users: UserRepository;
  teardown?(): Promise<void>;
}

const t0 = Date.parse('2026-05-01T10:00:00.000Z');
const at = (seconds: number, ms = 0) => new Date(t0 + seconds * 1000 + ms);

/**
 * The behaviour every NotificationRepository adapter must show. Each test works on users of its own,
 * so an adapter may share one database across the whole suite.
 */
export function describeNotificationRepositoryContract(
  name: string,
  setup: () => NotificationRepositoryUnderTest | Promise<NotificationRepositoryUnderTest>,
): void {
  describe(`${name} (NotificationRepository contract)`, () => {
    let subject: NotificationRepositoryUnderTest;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    const givenUser = (): Promise<string> => givenOwner(subject.users, at(0));

    async function given(userId: string, input: Partial<NewNotification> & { now: Date }): Promise<Notification> {
      const notification = Notification.create({ id: randomUUID(), tenantId: TEST_TENANT_ID, userId, title: 'Hello', ...input });
      await subject.notifications.save(notification);
      return notification;
    }

    async function listAll(userId: string, limit: number): Promise<{ ids: string[]; pages: number[] }> {
      const ids: string[] = [];
      const pages: number[] = [];
      let before: string | undefined;
      do {
        const page = await subject.notifications.listByUser({ tenantId: TEST_TENANT_ID, userId, limit, ...(before && { before }) });
        ids.push(...page.items.map((n) => n.id));
        pages.push(page.items.length);
        before = page.nextCursor ?? undefined;
      } while (before && pages.length < 50);
      return { ids, pages };
    }

    it('saves a notification and finds it again with every field', async () => {
      const userId = await givenUser();
      const saved = await given(userId, {
        title: 'Build finished',
        body: 'All 12 checks passed ✅',
        priority: 'high',
        data: { url: '/builds/42', nested: { list: [1, 'two', null], flag: false } },
        now: at(1, 234),
      });

      const found = await subject.notifications.findById(saved.id);

      expect(found?.toSnapshot()).toEqual(saved.toSnapshot());
    });

    it('keeps absent data as null', async () => {
      const saved = await given(await givenUser(), { now: at(1) });

      const found = await subject.notifications.findById(saved.id);

      expect(found?.toSnapshot().data).toBeNull();
    });

    it('finds nothing for an unknown id', async () => {
      await expect(subject.notifications.findById(randomUUID())).resolves.toBeNull();
    });

    it('saves changes to an existing notification', async () => {
      const notification = await given(await givenUser(), { now: at(1) });
      notification.markRead(at(5));
      notification.snooze(at(99), at(5));

      await subject.notifications.save(notification);

      const found = (await subject.notifications.findById(notification.id))?.toSnapshot();
      expect(found).toEqual(notification.toSnapshot());
      expect(found).toMatchObject({ readAt: at(5), seenAt: at(5), snoozedUntil: at(99), createdAt: at(1), updatedAt: at(5) });
    });

    it("counts only the user's unseen and unread notifications in the inbox", async () => {
      const userId = await givenUser();
      const other = await givenUser();
      const [first, second, third] = [await given(userId, { now: at(1) }), await given(userId, { now: at(2) }), await given(userId, { now: at(3) })];
      await given(userId, { now: at(4) });
      await given(other, { now: at(1) });
      first!.archive(at(5));
      second!.markSeen(at(5));
      third!.snooze(at(99), at(5));
      for (const n of [first!, second!, third!]) await subject.notifications.save(n);

      await expect(subject.notifications.countInInbox({ tenantId: TEST_TENANT_ID, userId })).resolves.toEqual({ unseen: 1, unread: 2 });
      await expect(subject.notifications.countInInbox({ tenantId: TEST_TENANT_ID, userId: other })).resolves.toEqual({ unseen: 1, unread: 1 });
      await expect(subject.notifications.countInInbox({ tenantId: TEST_TENANT_ID, userId: randomUUID() })).resolves.toEqual({ unseen: 0, unread: 0 });
    });

    it("lists only the user's notifications, newest first, ties broken by id descending", async () => {
      const userId = await givenUser();
      const other = await givenUser();
      const prefix = randomUUID().replaceAll('-', '');
      const make = (suffix: string, seconds: number) =>
        subject.notifications.save(Notification.create({ id: `${prefix}_${suffix}`, tenantId: TEST_TENANT_ID, userId, title: suffix, now: at(seconds) }));
      await make('a', 2);
      await make('c', 2);
      await make('b', 2);
      await make('d', 1);
      await make('e', 3);
      await given(other, { now: at(4) });

      const page = await subject.notifications.listByUser({ tenantId: TEST_TENANT_ID, userId, limit: 10 });

      expect(page.items.map((n) => n.id)).toEqual(['e', 'c', 'b', 'a', 'd'].map((s) => `${prefix}_${s}`));
      expect(page.nextCursor).toBeNull();
    });

    it('pages through everything exactly once with keyset cursors', async () => {
      const userId = await givenUser();
      const created: Notification[] = [];
      // Seven notifications in only four distinct instants, so pages split inside runs of equal times.
      for (const [i, seconds] of [1, 1, 2, 2, 2, 3, 4].entries()) created.push(await given(userId, { title: `n${i}`, now: at(seconds) }));
      const expected = (await subject.notifications.listByUser({ tenantId: TEST_TENANT_ID, userId, limit: 100 })).items.map((n) => n.id);

      const { ids, pages } = await listAll(userId, 3);

      expect(expected).toHaveLength(7);
      expect(new Set(expected)).toEqual(new Set(created.map((n) => n.id)));
      expect(ids).toEqual(expected);
      expect(pages).toEqual([3, 3, 1]);
    });

    it('ends with a null cursor when the last page is exactly full', async () => {
      const userId = await givenUser();
      for (let i = 0; i < 4; i++) await given(userId, { now: at(i) });

      const { pages } = await listAll(userId, 2);

      expect(pages).toEqual([2, 2]);
    });

    it('continues from a cursor even after newer notifications arrived', async () => {
      const userId = await givenUser();
      const old = [await given(userId, { now: at(1) }), await given(userId, { now: at(2) }), await given(userId, { now: at(3) })];
      const first = await subject.notifications.listByUser({ tenantId: TEST_TENANT_ID, userId, limit: 2 });
      await given(userId, { now: at(10) });

      const second = await subject.notifications.listByUser({ tenantId: TEST_TENANT_ID, userId, limit: 2, before: first.nextCursor! });

      expect(first.items.map((n) => n.id)).toEqual([old[2]!.id, old[1]!.id]);
      expect(second.items.map((n) => n.id)).toEqual([old[0]!.id]);
      expect(second.nextCursor).toBeNull();
    });

    describeNotificationQueries(() => ({ subject, givenUser, given }));

    it('rejects a malformed cursor with a ValidationError', async () => {
      const userId = await givenUser();

      await expect(subject.notifications.listByUser({ tenantId: TEST_TENANT_ID, userId, limit: 5, before: 'not-a-cursor' })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });
  });
}
