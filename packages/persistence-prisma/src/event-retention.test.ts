import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DomainEvent } from '@pushline/domain';
import { EventRetention } from './event-retention.js';
import { PrismaEventLog } from './prisma-event-log.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { markPublished } from './testing/stream-outbox.js';
import { EventMother } from '@pushline/testing';

const longAgo = new Date('2000-01-01T00:00:00Z');
const cutoff = new Date('2001-01-01T00:00:00Z');

const readEvent = (userId: string): DomainEvent => EventMother.read(userId);

describe.each(['pglite', 'postgres'] as const)('EventRetention on %s', (kind) => {
  let db: TestDatabase;
  let log: PrismaEventLog;
  let retention: EventRetention;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    log = new PrismaEventLog(db.prisma);
    retention = new EventRetention(db.prisma);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  async function givenStream(userId: string, count: number, { published }: { published: boolean }): Promise<void> {
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    await unitOfWork.run((scope) => scope.events.publish(Array.from({ length: count }, () => readEvent(userId))));
    if (published) await markPublished(db.prisma, userId);
  }

  async function age(userId: string, cursors: number[]): Promise<void> {
    await db.prisma.streamEvent.updateMany({
      where: { userId, cursor: { in: cursors.map(BigInt) } },
      data: { createdAt: longAgo },
    });
  }

  const cursorsOf = async (userId: string) => (await log.readAfter(userId, 0, 100)).map((e) => e.cursor);

  it('ages the one-row-per-event archive too, keeping events still in a stream', async () => {
    const carol = randomUUID();
    await givenStream(carol, 2, { published: true });
    const ids = (await log.readAfter(carol, 0, 10)).map((e) => e.event.id);
    await db.prisma.event.updateMany({ where: { id: { in: ids } }, data: { createdAt: longAgo } });
    await age(carol, [1]);

    await retention.purgeOlderThan(cutoff);

    await expect(db.prisma.event.findMany({ where: { id: { in: ids } }, select: { id: true } })).resolves.toEqual([{ id: ids[1] }]);
  });

  it('removes published entries older than the cutoff and records how far each stream was trimmed', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    await givenStream(alice, 5, { published: true });
    await givenStream(bob, 3, { published: true });
    await age(alice, [1, 2, 3]);
    await age(bob, [1, 2, 3]);

    await expect(retention.purgeOlderThan(cutoff)).resolves.toBe(6);

    await expect(cursorsOf(alice)).resolves.toEqual([4, 5]);
    await expect(log.oldestRetainedCursor(alice)).resolves.toBe(4);
    await expect(cursorsOf(bob)).resolves.toEqual([]);
    await expect(log.oldestRetainedCursor(bob)).resolves.toBe(4);
    await expect(log.headCursor(bob)).resolves.toBe(3);
    await expect(retention.purgeOlderThan(cutoff)).resolves.toBe(0);
    await givenStream(bob, 1, { published: false });
    await expect(cursorsOf(bob)).resolves.toEqual([4]);
  });

  it('never removes an entry the relay has not published yet', async () => {
    const carol = randomUUID();
    await givenStream(carol, 3, { published: false });
    await age(carol, [1, 2, 3]);

    await expect(retention.purgeOlderThan(cutoff)).resolves.toBe(0);

    await expect(cursorsOf(carol)).resolves.toEqual([1, 2, 3]);
    await expect(log.oldestRetainedCursor(carol)).resolves.toBeNull();
    // Leave nothing old behind for the next test's count.
    await db.prisma.streamEvent.deleteMany({ where: { userId: carol } });
  });

  it('removes only a prefix: an entry that must stay protects every newer one', async () => {
    const dave = randomUUID();
    await givenStream(dave, 4, { published: true });
    await age(dave, [1, 2, 4]);

    await expect(retention.purgeOlderThan(cutoff)).resolves.toBe(2);

    await expect(cursorsOf(dave)).resolves.toEqual([3, 4]);
    await expect(log.oldestRetainedCursor(dave)).resolves.toBe(3);
  });
});
