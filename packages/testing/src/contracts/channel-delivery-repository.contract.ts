import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChannelDeliveryRepository, NewChannelDelivery, OutboundChannel } from '@pushline/domain';

export interface ChannelDeliveryRepositoryUnderTest {
  readonly deliveries: ChannelDeliveryRepository;
  teardown?(): Promise<void>;
}

/**
 * The send records every adapter must keep: unique per (notification, channel), leased when due,
 * a digest leased whole, each attempt appended. Every test uses users and notifications of its
 * own, so adapters may share one database.
 */
export function describeChannelDeliveryRepositoryContract(
  name: string,
  setup: () => ChannelDeliveryRepositoryUnderTest | Promise<ChannelDeliveryRepositoryUnderTest>,
): void {
  describe(`${name} (ChannelDeliveryRepository contract)`, () => {
    let subject: ChannelDeliveryRepositoryUnderTest;
    const t0 = new Date('2026-06-01T00:00:00.000Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const record = (userId: string, over: Partial<NewChannelDelivery> = {}): NewChannelDelivery => ({
      id: randomUUID(),
      tenantId: 'tenant-1',
      userId,
      notificationId: randomUUID(),
      channel: 'email' as OutboundChannel,
      category: 'orders',
      digestKey: null,
      nextAttemptAt: at(30),
      createdAt: t0,
      ...over,
    });
    const mine = <T extends { userId: string }>(userId: string, rows: readonly T[]) => rows.filter((r) => r.userId === userId);

    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it('adds a record once per notification and channel, pending, and lists it newest first', async () => {
      const userId = `u-${randomUUID()}`;
      const first = record(userId);
      expect(await subject.deliveries.add([first, record(userId, { notificationId: first.notificationId, channel: 'web_push' })])).toBe(2);
      expect(await subject.deliveries.add([{ ...first, id: randomUUID() }])).toBe(0);

      const listed = await subject.deliveries.list({ userId, notificationId: first.notificationId, limit: 10 });
      expect(listed.map((d) => d.channel).sort()).toEqual(['email', 'web_push']);
      expect(listed[0]).toMatchObject({ status: 'pending', reason: null, attempts: [], sentAt: null, nextAttemptAt: at(30) });
      expect(await subject.deliveries.list({ userId, notificationId: first.notificationId, channel: 'email', limit: 10 })).toHaveLength(1);
      expect(await subject.deliveries.list({ userId: `u-${randomUUID()}`, limit: 10 })).toEqual([]);
      expect(await subject.deliveries.list({ userId, tenantId: 'another-tenant', limit: 10 })).toEqual([]);
    });

    it('leases a due record until its lease ends, and never one not yet due', async () => {
      const userId = `u-${randomUUID()}`;
      const d = record(userId);
      await subject.deliveries.add([d]);

      expect(mine(userId, await subject.deliveries.claimDue(at(29), 1000, at(89)))).toEqual([]);
      expect(mine(userId, await subject.deliveries.claimDue(at(30), 1000, at(90))).map((r) => r.id)).toEqual([d.id]);
      expect(mine(userId, await subject.deliveries.claimDue(at(31), 1000, at(91)))).toEqual([]);
      // The worker died: after the lease the record is handed out again.
      expect(mine(userId, await subject.deliveries.claimDue(at(90), 1000, at(150))).map((r) => r.id)).toEqual([d.id]);
    });

    it('leases every pending record of a due digest together', async () => {
      const userId = `u-${randomUUID()}`;
      const digestKey = `${userId}:email:mentions:${t0.toISOString()}`;
      // Due long before the other tests' records, so a limit of one picks one of these (adapters may share a database).
      const members = [0, 1, 2].map((i) => record(userId, { digestKey, category: 'mentions', nextAttemptAt: at(-100_000), createdAt: at(-100_600 + i) }));
      await subject.deliveries.add(members);

      const claimed = mine(userId, await subject.deliveries.claimDue(at(-100_000), 1, at(-99_940)));
      expect(claimed.map((r) => r.id)).toEqual(members.map((m) => m.id));
    });

    it('records each attempt: a failure with its retry time, then the send; a failure for good; a skip with its reason', async () => {
      const userId = `u-${randomUUID()}`;
      const [a, b, c] = [record(userId), record(userId), record(userId)];
      await subject.deliveries.add([a!, b!, c!]);
      await subject.deliveries.claimDue(at(30), 1000, at(90));

      await subject.deliveries.recordFailure([a!.id], '421 try later', at(40), at(31));
      expect(mine(userId, await subject.deliveries.claimDue(at(39), 1000, at(99)))).toEqual([]);
      const [retry] = mine(userId, await subject.deliveries.claimDue(at(40), 1000, at(100)));
      expect(retry).toMatchObject({ id: a!.id, status: 'pending', attempts: [{ at: at(31), error: '421 try later' }] });
      await subject.deliveries.markSent([a!.id], at(41));
      await subject.deliveries.recordFailure([b!.id], '550 no such user', null, at(32));
      await subject.deliveries.markSkipped([c!.id], 'read_on_device', at(33));

      const byId = new Map((await subject.deliveries.list({ userId, limit: 10 })).map((d) => [d.id, d]));
      expect(byId.get(a!.id)).toMatchObject({
        status: 'sent',
        sentAt: at(41),
        nextAttemptAt: null,
        attempts: [
          { at: at(31), error: '421 try later' },
          { at: at(41), error: null },
        ],
      });
      expect(byId.get(b!.id)).toMatchObject({ status: 'failed', reason: '550 no such user', attempts: [{ at: at(32), error: '550 no such user' }] });
      expect(byId.get(c!.id)).toMatchObject({ status: 'skipped', reason: 'read_on_device', attempts: [] });
      expect(mine(userId, await subject.deliveries.claimDue(at(10_000), 1000, at(10_060)))).toEqual([]);
      expect((await subject.deliveries.list({ userId, status: 'failed', limit: 10 })).map((d) => d.id)).toEqual([b!.id]);
    });

    it('purges settled records of notifications that are gone, oldest first, in bounded batches; never pending or newer ones', async () => {
      const userId = `u-${randomUUID()}`;
      const [sent, skipped, pending, recent] = [record(userId), record(userId), record(userId), record(userId)];
      await subject.deliveries.add([sent, skipped, pending, recent]);
      await subject.deliveries.markSent([sent.id], at(-90_002));
      await subject.deliveries.markSkipped([skipped.id], 'deleted', at(-90_001));
      await subject.deliveries.markSent([recent.id], at(-10));

      // No notification of this test exists: all four are orphans; only the two settled before the cutoff go.
      // Settled a day before the other tests' records, so a shared database's rows are not older.
      expect(await subject.deliveries.purgeOrphaned(at(-80_000), 1)).toBe(1);
      expect((await subject.deliveries.list({ userId, limit: 10 })).map((d) => d.id).sort()).toEqual([skipped.id, pending.id, recent.id].sort());
      await subject.deliveries.purgeOrphaned(at(-80_000), 1000);
      expect((await subject.deliveries.list({ userId, limit: 10 })).map((d) => d.id).sort()).toEqual([pending.id, recent.id].sort());
    });
  });
}
