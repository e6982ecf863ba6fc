import { expect, it } from '@jest/globals';
import {
  matchesListQuery,
  Notification,
  type NewNotification,
  type NotificationListQuery,
  type NotificationRepository,
} from '@pushline/domain';
import { TEST_TENANT_ID } from '../mothers/user.mother.js';

interface Fixture {
  readonly subject: { readonly notifications: NotificationRepository };
  givenUser(): Promise<string>;
  given(userId: string, input: Partial<NewNotification> & { now: Date }): Promise<Notification>;
}

const t0 = Date.parse('2026-05-01T10:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);

/** Filters, bulk changes, the cap and the expiry query: part of the NotificationRepository contract. */
export function describeNotificationQueries(fixture: () => Fixture): void {
  /** One user with one notification in each interesting state, saved. */
  async function aMixedInbox() {
    const f = fixture();
    const userId = await f.givenUser();
    const make = (title: string, extra: Partial<NewNotification> = {}) => f.given(userId, { title, now: at(title.length), ...extra });
    const fresh = await make('a', { category: 'orders', priority: 'high' });
    const seen = await make('bb');
    seen.markSeen(at(20));
    const read = await make('ccc', { category: 'orders' });
    read.markRead(at(20));
    const clicked = await make('dddd', { priority: 'urgent' });
    clicked.click(at(20));
    const archived = await make('eeeee');
    archived.archive(at(20));
    const snoozed = await make('ffffff');
    snoozed.snooze(at(99), at(20));
    const expired = await make('ggggggg', { expiresAt: at(10) });
    expired.expire(at(20));
    const deleted = await make('hhhhhhhh');
    deleted.softDelete(at(20));
    const all = [fresh, seen, read, clicked, archived, snoozed, expired, deleted];
    for (const n of all) await f.subject.notifications.save(n);
    return { f, userId, all, fresh, seen, read, clicked, archived, snoozed, expired, deleted };
  }

  it('filters exactly as matchesListQuery says, for every filter', async () => {
    const { f, userId, all } = await aMixedInbox();
    const queries: Omit<NotificationListQuery, 'limit' | 'userId' | 'tenantId'>[] = [
      {},
      { archived: true },
      { archived: 'any' },
      { category: 'orders' },
      { priority: 'urgent' },
      { since: at(3) },
      ...(['unseen', 'seen', 'unread', 'read', 'clicked', 'snoozed', 'expired'] as const).map((status) => ({ status })),
      { status: 'expired', archived: 'any' },
    ];
    for (const query of queries) {
      const page = await f.subject.notifications.listByUser({ tenantId: TEST_TENANT_ID, userId, limit: 50, ...query });
      const expected = all
        .map((n) => n.toSnapshot())
        .filter((n) => matchesListQuery(n, { tenantId: TEST_TENANT_ID, userId, ...query }))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((n) => n.title);
      expect({ query, titles: page.items.map((n) => n.toSnapshot().title) }).toEqual({ query, titles: expected });
    }
  });

  it('reads all of the inbox at once, only what is not read yet, by category and before', async () => {
    const { f, userId, fresh, seen, read } = await aMixedInbox();

    const ordersOnly = await f.subject.notifications.changeAll({ tenantId: TEST_TENANT_ID, userId }, 'read', { category: 'orders' }, at(30));
    expect(ordersOnly).toEqual([fresh.id]);
    const beforeTwo = await f.subject.notifications.changeAll({ tenantId: TEST_TENANT_ID, userId }, 'seen', { before: at(3) }, at(31));
    expect(beforeTwo).toEqual([]);
    const rest = await f.subject.notifications.changeAll({ tenantId: TEST_TENANT_ID, userId }, 'read', {}, at(32));
    expect(rest).toEqual([seen.id]);

    const reread = (await f.subject.notifications.findById(fresh.id))!.toSnapshot();
    expect(reread).toMatchObject({ readAt: at(30), seenAt: at(30), updatedAt: at(30) });
    expect((await f.subject.notifications.findById(read.id))!.toSnapshot().readAt).toEqual(at(20));
    await expect(f.subject.notifications.countInInbox({ tenantId: TEST_TENANT_ID, userId })).resolves.toEqual({ unseen: 0, unread: 0 });
  });

  it("keys bulk changes and counts by tenant and user: the user's id under another tenant matches nothing", async () => {
    const { f, userId, fresh } = await aMixedInbox();
    const elsewhere = { tenantId: `not-${TEST_TENANT_ID}`, userId };

    await expect(f.subject.notifications.changeAll(elsewhere, 'read', {}, at(30))).resolves.toEqual([]);
    await expect(f.subject.notifications.changeAll(elsewhere, 'archived', {}, at(30))).resolves.toEqual([]);
    await expect(f.subject.notifications.countInInbox(elsewhere)).resolves.toEqual({ unseen: 0, unread: 0 });
    expect((await f.subject.notifications.findById(fresh.id))!.toSnapshot()).toMatchObject({ readAt: null, archivedAt: null });
    await expect(f.subject.notifications.countInInbox({ tenantId: TEST_TENANT_ID, userId })).resolves.not.toEqual({ unseen: 0, unread: 0 });
  });

  it('archives all of the inbox, which implies seen, and leaves snoozed, expired and deleted ones alone', async () => {
    const { f, userId, fresh, seen, read, clicked } = await aMixedInbox();

    const archived = await f.subject.notifications.changeAll({ tenantId: TEST_TENANT_ID, userId }, 'archived', {}, at(40));

    expect(new Set(archived)).toEqual(new Set([fresh.id, seen.id, read.id, clicked.id]));
    expect((await f.subject.notifications.findById(fresh.id))!.toSnapshot()).toMatchObject({ archivedAt: at(40), seenAt: at(40), readAt: null });
  });

  it('removes the oldest beyond the cap, archived and deleted ones first', async () => {
    const { f, userId, archived, deleted, fresh } = await aMixedInbox();

    const removed = await f.subject.notifications.removeBeyondCap(userId, 5, at(50));

    expect(removed.map((n) => n.id)).toEqual([archived.id, deleted.id, fresh.id]);
    expect(removed[0]!.toSnapshot().deletedAt).toEqual(at(50));
    await expect(f.subject.notifications.findById(archived.id)).resolves.toBeNull();
    await expect(f.subject.notifications.removeBeyondCap(userId, 5, at(51))).resolves.toEqual([]);
  });

  it('keeps a channel-only notification (inApp false) out of every inbox read; the cap removes it first', async () => {
    const f = fixture();
    const userId = await f.givenUser();
    const owner = { tenantId: TEST_TENANT_ID, userId };
    const shown = await f.given(userId, { title: 'shown', now: at(1) });
    const hidden = await f.given(userId, { title: 'hidden', inApp: false, expiresAt: at(5), now: at(2) });
    const snoozedHidden = Notification.create({ id: `${hidden.id}-z`, tenantId: TEST_TENANT_ID, userId, title: 'hidden too', inApp: false, now: at(3) });
    snoozedHidden.snooze(at(6), at(3));
    await f.subject.notifications.save(snoozedHidden);

    // The channel worker renders it from the stored row, flag and all.
    expect((await f.subject.notifications.findById(hidden.id))?.toSnapshot()).toEqual(hidden.toSnapshot());
    expect(hidden.toSnapshot().inApp).toBe(false);
    for (const query of [{}, { status: 'unread' as const }, { archived: 'any' as const }, { status: 'snoozed' as const }, { status: 'expired' as const }]) {
      const page = await f.subject.notifications.listByUser({ ...owner, limit: 10, ...query });
      expect(page.items.map((n) => n.id)).not.toContain(hidden.id);
      expect(page.items.map((n) => n.id)).not.toContain(snoozedHidden.id);
    }
    expect((await f.subject.notifications.listByUser({ ...owner, limit: 10 })).items.map((n) => n.id)).toEqual([shown.id]);
    await expect(f.subject.notifications.countInInbox(owner)).resolves.toEqual({ unseen: 1, unread: 1 });
    await expect(f.subject.notifications.changeAll(owner, 'read', {}, at(4))).resolves.toEqual([shown.id]);
    expect((await f.subject.notifications.findById(hidden.id))?.toSnapshot().readAt).toBeNull();
    expect((await f.subject.notifications.findDue(at(10), 100)).map((n) => n.id).filter((id) => id.startsWith(hidden.id))).toEqual([]);

    const removed = await f.subject.notifications.removeBeyondCap(userId, 1, at(7));
    expect(new Set(removed.map((n) => n.id))).toEqual(new Set([hidden.id, snoozedHidden.id]));
    await expect(f.subject.notifications.findById(shown.id)).resolves.not.toBeNull();
  });

  it('finds what is due: past expiresAt and not expired yet, or snoozed until now or earlier', async () => {
    const f = fixture();
    const userId = await f.givenUser();
    const expiring = await f.given(userId, { expiresAt: at(10), now: at(1) });
    const later = await f.given(userId, { expiresAt: at(1000), now: at(1) });
    const snoozed = await f.given(userId, { now: at(2) });
    snoozed.snooze(at(10), at(2));
    await f.subject.notifications.save(snoozed);

    const due = await f.subject.notifications.findDue(at(10), 100);
    const mine = due.filter((n) => n.userId === userId).map((n) => n.id);

    expect(mine).toEqual([expiring.id, snoozed.id]);
    expect(mine).not.toContain(later.id);
  });
}
