import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Notification, type DomainEvent } from '@pushline/domain';
import { createDatabase, type Database } from './create-prisma-client.js';
import { PrismaEventLog } from './prisma-event-log.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { NO_COMMIT_LISTENER } from './committed-entries.port.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { EventMother, givenUser, TEST_TENANT_ID } from '@pushline/testing';
import { PrismaUserRepository } from './prisma-user.repository.js';


const readEvent = (userId: string): DomainEvent => EventMother.read(userId);
const hello = (userId: string): Notification => Notification.create({ id: randomUUID(), tenantId: TEST_TENANT_ID, userId, title: 'Hello', now: new Date() });

describe('PrismaUnitOfWork on postgres', () => {
  let db: TestDatabase;
  let readerDb: Database;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    // The reader has connections of its own, like another API instance serving a stream.
    readerDb = await createDatabase({ url: db.url!, maxConnections: 2 });
  });

  afterAll(async () => {
    await readerDb?.dispose();
    await db?.dispose();
  });

  it('never lets a reader see a gap: every read continues at lastSeen + 1, and 1..500 arrive once', async () => {
    const userId = randomUUID();
    const writers = 10;
    const perWriter = 50;
    const total = writers * perWriter;
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    const log = new PrismaEventLog(readerDb.prisma);
    let writing = true;

    const written = Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < perWriter; i++) await unitOfWork.run((scope) => scope.events.publish([readEvent(userId)]));
      }),
    ).finally(() => (writing = false));

    const seen: number[] = [];
    const gaps: string[] = [];
    let readsWhileWriting = 0;
    let lastSeen = 0;
    while (lastSeen < total) {
      const duringWrites = writing;
      const batch = await log.readAfter(userId, lastSeen, 100);
      if (duringWrites && batch.length > 0) readsWhileWriting++;
      batch.forEach((entry, i) => {
        if (entry.cursor !== lastSeen + 1 + i) gaps.push(`expected ${lastSeen + 1 + i}, read ${entry.cursor}`);
      });
      seen.push(...batch.map((e) => e.cursor));
      lastSeen = batch.at(-1)?.cursor ?? lastSeen;
      // Only a read that started after the last commit may end the loop: one that began before it can
      // come back empty even though the writers have finished meanwhile.
      if (!duringWrites && batch.length === 0) break;
    }
    await written;

    expect(gaps).toEqual([]);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(readsWhileWriting).toBeGreaterThan(5);
    await expect(log.headCursor(userId)).resolves.toBe(total);
  });

  it('calls onCommitted after a commit that wrote events, when they are already readable', async () => {
    const userId = randomUUID();
    const log = new PrismaEventLog(readerDb.prisma);
    const seenAtCallback: Promise<number>[] = [];
    const unitOfWork = new PrismaUnitOfWork(db.prisma, { onCommitted: () => void seenAtCallback.push(log.headCursor(userId)) });

    await unitOfWork.run((scope) => scope.events.publish([readEvent(userId), readEvent(userId)]));

    expect(seenAtCallback).toHaveLength(1);
    await expect(seenAtCallback[0]).resolves.toBe(2);
  });

  it('does not call onCommitted after a rollback or a commit without events', async () => {
    let calls = 0;
    const unitOfWork = new PrismaUnitOfWork(db.prisma, { onCommitted: () => void calls++ });

    await unitOfWork.run(async () => 'nothing written');
    await expect(
      unitOfWork.run(async (scope) => {
        await scope.events.publish([readEvent(randomUUID())]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    expect(calls).toBe(0);
  });

  it('reports the work as done even when onCommitted throws', async () => {
    const userId = randomUUID();
    const unitOfWork = new PrismaUnitOfWork(db.prisma, {
      onCommitted: () => {
        throw new Error('relay gone');
      },
    });

    await expect(unitOfWork.run(async (scope) => scope.events.publish([readEvent(userId)]))).resolves.toBeUndefined();
    await expect(new PrismaEventLog(db.prisma).headCursor(userId)).resolves.toBe(1);
  });

  async function givenOwnerAndUnit() {
    const userId = await givenUser(new PrismaUserRepository(db.prisma));
    return { userId, unitOfWork: new PrismaUnitOfWork(db.prisma), notification: hello(userId) };
  }

  it('runs a unit that reads its own pending writes in a transaction, where it sees them', async () => {
    const { userId, unitOfWork, notification } = await givenOwnerAndUnit();

    const unread = await unitOfWork.run(async (scope) => {
      await scope.notifications.save(notification);
      await scope.events.publish([readEvent(userId)]);
      return (await scope.notifications.countInInbox({ tenantId: TEST_TENANT_ID, userId })).unread;
    });

    expect(unread).toBe(1);
    await expect(new PrismaEventLog(db.prisma).headCursor(userId)).resolves.toBe(1);
  });

  it('sees a notification it saved earlier in the same unit when it reads it back', async () => {
    const { userId, unitOfWork, notification } = await givenOwnerAndUnit();

    const found = await unitOfWork.run(async (scope) => {
      await scope.notifications.save(notification);
      return scope.notifications.findById(notification.id);
    });

    expect(found?.toSnapshot()).toEqual(notification.toSnapshot());
  });

  it('writes concurrent units together in gap-free order', async () => {
    const owner = randomUUID();
    const unitOfWork = new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { maxStatementsInFlight: 1 });
    const unit = () => unitOfWork.run((scope) => scope.events.publish([readEvent(owner), readEvent(owner)]));

    await Promise.all(Array.from({ length: 20 }, unit));

    const entries = await new PrismaEventLog(db.prisma).readAfter(owner, 0, 100);
    expect(entries.map((e) => e.cursor)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
