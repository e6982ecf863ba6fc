import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { DomainEvent, EventArchive } from '@pushline/domain';
import { EventMother } from '../mothers/event.mother.js';

export interface EventArchiveUnderTest {
  readonly archive: EventArchive;
  /** Commits the events to the streams of `recipients`, as the outbox does; the archive keeps each once. */
  append(events: readonly DomainEvent[], recipients: readonly string[]): Promise<void>;
  /** Makes `members` users of the (new) tenant, then broadcasts the events to its shared stream. */
  broadcast(tenantId: string, events: readonly DomainEvent[], members: readonly string[]): Promise<void>;
  teardown?(): Promise<void>;
}

const HOUR = 3_600_000;

/**
 * The behaviour every EventArchive adapter must show: filters, newest-first keyset pages, counts per
 * bucket, and no event of another tenant in a tenant's answers. Fresh tenants per test, so an adapter
 * may share one database.
 */
export function describeEventArchiveContract(name: string, setup: () => EventArchiveUnderTest | Promise<EventArchiveUnderTest>): void {
  describe(`${name} (EventArchive contract)`, () => {
    let subject: EventArchiveUnderTest;
    const t0 = Date.parse('2026-05-01T09:00:00.000Z');
    const anEvent = (tenantid: string, ms: number, overrides: Partial<DomainEvent> = {}): DomainEvent => ({
      ...EventMother.created(randomUUID()),
      tenantid,
      time: new Date(t0 + ms).toISOString(),
      ...overrides,
    });

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it("answers a tenant's events newest first, page by page, and never another tenant's", async () => {
      const [tenantId, otherTenant] = [randomUUID(), randomUUID()];
      const mine = [anEvent(tenantId, 0), anEvent(tenantId, 1000), anEvent(tenantId, 2000)];
      await subject.append(mine, [randomUUID()]);
      await subject.append([anEvent(otherTenant, 1500)], [randomUUID()]);

      const first = await subject.archive.query({ tenantId, limit: 2 });
      expect(first.items.map((e) => e.id)).toEqual([mine[2]!.id, mine[1]!.id]);
      const second = await subject.archive.query({ tenantId, limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((e) => e.id)).toEqual([mine[0]!.id]);
      expect(second.nextCursor).toBeNull();
      expect(first.items[0]).toEqual(mine[2]);
    });

    it('keeps an event sent to many users once, and knows its recipients', async () => {
      const tenantId = randomUUID();
      const users = [randomUUID(), randomUUID(), randomUUID()];
      const event = anEvent(tenantId, 0);
      await subject.append([event], users);

      await expect(subject.archive.query({ tenantId, limit: 10 })).resolves.toEqual({ items: [event], nextCursor: null });
      await expect(subject.archive.recipientsOf(event.id)).resolves.toEqual([...users].sort());
      await expect(subject.archive.recipientsOf(randomUUID())).resolves.toEqual([]);
    });

    it('filters by type, app, recipient and a time range that includes its start and excludes its end', async () => {
      const tenantId = randomUUID();
      const [alice, bob, appId] = [randomUUID(), randomUUID(), randomUUID()];
      const early = anEvent(tenantId, 0);
      const fromApp = anEvent(tenantId, HOUR, { type: 'buddy.task.assigned', appid: appId });
      const late = anEvent(tenantId, 2 * HOUR);
      await subject.append([early, late], [alice]);
      await subject.append([fromApp], [bob]);
      const ids = async (q: Omit<Parameters<EventArchive['query']>[0], 'limit' | 'tenantId'>) => (await subject.archive.query({ tenantId, limit: 10, ...q })).items.map((e) => e.id);

      await expect(ids({ type: 'buddy.task.assigned' })).resolves.toEqual([fromApp.id]);
      await expect(ids({ appId })).resolves.toEqual([fromApp.id]);
      await expect(ids({ userId: alice })).resolves.toEqual([late.id, early.id]);
      await expect(ids({ from: new Date(t0), to: new Date(t0 + 2 * HOUR) })).resolves.toEqual([fromApp.id, early.id]);
      await expect(ids({ userId: randomUUID() })).resolves.toEqual([]);
    });

    it('counts per type per hour or day bucket, oldest first, for one tenant only', async () => {
      const [tenantId, otherTenant] = [randomUUID(), randomUUID()];
      await subject.append([anEvent(tenantId, 60_000), anEvent(tenantId, 120_000), anEvent(tenantId, HOUR + 5, { type: 'buddy.ping' }), anEvent(tenantId, 25 * HOUR)], [randomUUID()]);
      await subject.append([anEvent(otherTenant, 60_000)], [randomUUID()]);
      const range = { from: new Date(t0 - 9 * HOUR), to: new Date(t0 + 48 * HOUR), tenantId };

      await expect(subject.archive.count({ ...range, bucket: 'hour' })).resolves.toEqual([
        { start: new Date(t0), type: 'notification.created', count: 2 },
        { start: new Date(t0 + HOUR), type: 'buddy.ping', count: 1 },
        { start: new Date(t0 + 25 * HOUR), type: 'notification.created', count: 1 },
      ]);
      await expect(subject.archive.count({ ...range, bucket: 'day', type: 'notification.created' })).resolves.toEqual([
        { start: new Date('2026-05-01T00:00:00.000Z'), type: 'notification.created', count: 2 },
        { start: new Date('2026-05-02T00:00:00.000Z'), type: 'notification.created', count: 1 },
      ]);
    });

    it("counts a tenant's broadcasts among each member's events, in the same newest-first pages, and knows their tenant", async () => {
      const [tenantId, otherTenant] = [randomUUID(), randomUUID()];
      const [member, outsider] = [randomUUID(), randomUUID()];
      const own = [anEvent(tenantId, 0), anEvent(tenantId, 2000)];
      const broadcast = anEvent(tenantId, 1000, { type: 'maintenance.scheduled' });
      await subject.broadcast(tenantId, [broadcast], [member]);
      const elsewhere = anEvent(otherTenant, 1500, { type: 'maintenance.scheduled' });
      await subject.broadcast(otherTenant, [elsewhere], [outsider]);
      await subject.append(own, [member]);

      const first = await subject.archive.query({ userId: member, limit: 2 });
      expect(first.items.map((e) => e.id)).toEqual([own[1]!.id, broadcast.id]);
      const second = await subject.archive.query({ userId: member, limit: 2, cursor: first.nextCursor! });
      expect(second).toEqual({ items: [own[0]], nextCursor: null });
      await expect(subject.archive.query({ userId: outsider, limit: 10 })).resolves.toEqual({ items: [elsewhere], nextCursor: null });
      await expect(subject.archive.broadcastTenantOf(broadcast.id)).resolves.toBe(tenantId);
      await expect(subject.archive.broadcastTenantOf(own[0]!.id)).resolves.toBeNull();
      await expect(subject.archive.recipientsOf(broadcast.id)).resolves.toEqual([]);
    });

    it('finds events by id, oldest first, skipping unknown ids', async () => {
      const tenantId = randomUUID();
      const [a, b] = [anEvent(tenantId, 5000), anEvent(tenantId, 0)];
      await subject.append([a, b], [randomUUID()]);

      await expect(subject.archive.findByIds([a.id, randomUUID(), b.id])).resolves.toEqual([b, a]);
      await expect(subject.archive.findByIds([])).resolves.toEqual([]);
    });
  });
}
