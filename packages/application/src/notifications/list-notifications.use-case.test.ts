import { beforeEach, describe, expect, it } from '@jest/globals';
import { Notification, ValidationError } from '@pushline/domain';
import { InMemoryNotificationRepository } from '@pushline/testing';
import { LIST_LIMITS, ListNotifications } from './list-notifications.use-case.js';

const start = Date.parse('2026-01-01T00:00:00.000Z');

describe('ListNotifications', () => {
  let repository: InMemoryNotificationRepository;
  let list: ListNotifications;

  async function seed(userId: string, count: number, at: (i: number) => number = (i) => start + i * 1_000) {
    for (let i = 1; i <= count; i += 1) {
      const id = `${userId}-n${String(i).padStart(3, '0')}`;
      await repository.save(Notification.create({ id, tenantId: 't1', userId, title: `#${i}`, now: new Date(at(i)) }));
    }
  }

  async function allPages(userId: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await list.execute({ tenantId: 't1', userId, limit, ...(before && { before }) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((n) => n.id));
      before = page.nextCursor ?? undefined;
      pages += 1;
    } while (before && pages < 100);
    return { ids, pages };
  }

  beforeEach(() => {
    repository = new InMemoryNotificationRepository();
    list = new ListNotifications(repository);
  });

  it("lists only the caller's notifications, newest first", async () => {
    await seed('u1', 3);
    await seed('u2', 2);

    const page = await list.execute({ tenantId: 't1', userId: 'u1' });

    expect(page.items.map((n) => n.id)).toEqual(['u1-n003', 'u1-n002', 'u1-n001']);
    expect(page.items[0]).toMatchObject({ title: '#3', readAt: null });
    expect(page.nextCursor).toBeNull();
  });

  it('pages through everything by nextCursor, without gaps or repeats', async () => {
    await seed('u1', 7);

    const first = await list.execute({ tenantId: 't1', userId: 'u1', limit: 3 });
    expect(first.items.map((n) => n.id)).toEqual(['u1-n007', 'u1-n006', 'u1-n005']);
    expect(first.nextCursor).not.toBeNull();

    const { ids, pages } = await allPages('u1', 3);
    expect(ids).toEqual(['u1-n007', 'u1-n006', 'u1-n005', 'u1-n004', 'u1-n003', 'u1-n002', 'u1-n001']);
    expect(pages).toBe(3);
  });

  it('has no next page when the last page is exactly full', async () => {
    await seed('u1', 4);

    const { ids, pages } = await allPages('u1', 2);

    expect(ids).toHaveLength(4);
    expect(pages).toBe(2);
  });

  it('pages correctly through notifications created at the same instant', async () => {
    await seed('u1', 5, () => start);

    const { ids } = await allPages('u1', 2);

    expect(ids).toEqual(['u1-n005', 'u1-n004', 'u1-n003', 'u1-n002', 'u1-n001']);
  });

  it(`returns ${LIST_LIMITS.default} by default and accepts up to ${LIST_LIMITS.max}`, async () => {
    await seed('u1', LIST_LIMITS.max + 5);

    expect((await list.execute({ tenantId: 't1', userId: 'u1' })).items).toHaveLength(LIST_LIMITS.default);
    expect((await list.execute({ tenantId: 't1', userId: 'u1', limit: LIST_LIMITS.max })).items).toHaveLength(LIST_LIMITS.max);
    expect((await list.execute({ tenantId: 't1', userId: 'u1', limit: 1 })).items).toHaveLength(1);
  });

  it.each([0, -1, LIST_LIMITS.max + 1, 2.5, Number.NaN])('rejects limit %p naming the field', async (limit) => {
    await expect(list.execute({ tenantId: 't1', userId: 'u1', limit })).rejects.toThrow(
      expect.objectContaining({ field: 'limit', constructor: ValidationError }),
    );
  });

  it('passes the filters on: archived only, by category', async () => {
    await seed('u1', 3);
    const n = (await repository.findById('u1-n002'))!;
    n.archive(new Date(start + 10_000));
    await repository.save(n);

    expect((await list.execute({ tenantId: 't1', userId: 'u1', archived: true })).items.map((i) => i.id)).toEqual(['u1-n002']);
    expect((await list.execute({ tenantId: 't1', userId: 'u1' })).items.map((i) => i.id)).toEqual(['u1-n003', 'u1-n001']);
    expect((await list.execute({ tenantId: 't1', userId: 'u1', archived: 'any', category: 'other' })).items).toEqual([]);
  });

  it('rejects a cursor that is not one of ours', async () => {
    await expect(list.execute({ tenantId: 't1', userId: 'u1', before: 'garbage' })).rejects.toThrow(
      expect.objectContaining({ field: 'before', constructor: ValidationError }),
    );
  });
});
