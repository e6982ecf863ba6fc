import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent, StreamEntry } from '@pushline/domain';
import { EventMother } from '@pushline/testing';
import { EventRetention } from './event-retention.js';
import { countOutboxBacklog } from './outbox-backlog.js';
import { OutboxRelay } from './outbox-relay.js';
import { PrismaTenantEventLog } from './prisma-tenant-event-log.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

const broadcastOf = (tenantId: string): DomainEvent => ({ ...EventMother.read(randomUUID()), type: 'maintenance.scheduled', tenantid: tenantId });

// The tenants' broadcast streams through the outbox: written by the unit of work, published by the
// relay's drain (not only its fast path), and trimmed by retention without losing the archive early.
describe('the tenant broadcast outbox on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('writes one row per broadcast, and the drain publishes it once, marked with its tenant, in cursor order', async () => {
    const tenantId = randomUUID();
    const published: StreamEntry[] = [];
    const relay = new OutboxRelay(db.prisma, { fanOut: async (entries) => void published.push(...entries) }, { fastPath: false });
    // No commit listener: only the drain can publish these.
    const unitOfWork = new PrismaUnitOfWork(db.prisma, undefined, { writeMode: 'interactive' });
    const events = [broadcastOf(tenantId), broadcastOf(tenantId)];
    await unitOfWork.run((tx) => tx.broadcasts.broadcast(tenantId, events));
    expect(await countOutboxBacklog(db.prisma)).toBeGreaterThanOrEqual(2);

    await relay.drain();
    await relay.drain();
    const mine = published.filter((e) => e.tenantStream === tenantId);
    expect(mine.map((e) => [e.cursor, e.event.id, e.userId])).toEqual([
      [1, events[0]!.id, ''],
      [2, events[1]!.id, ''],
    ]);
    await expect(db.prisma.tenantStreamEvent.count({ where: { tenantId, publishedAt: null } })).resolves.toBe(0);
    await expect(db.prisma.event.count({ where: { id: { in: events.map((e) => e.id) }, tenantId } })).resolves.toBe(2);
    await relay.stop();
  });

  it('marks fast-path broadcasts published by (tenant, cursor)', async () => {
    const tenantId = randomUUID();
    const published: StreamEntry[] = [];
    const relay = new OutboxRelay(db.prisma, { fanOut: async (entries) => void published.push(...entries) });
    const unitOfWork = new PrismaUnitOfWork(db.prisma, relay);
    await unitOfWork.run((tx) => tx.broadcasts.broadcast(tenantId, [broadcastOf(tenantId)]));
    await relay.stop();
    expect(published.filter((e) => e.tenantStream === tenantId)).toHaveLength(1);
    await expect(db.prisma.tenantStreamEvent.count({ where: { tenantId, publishedAt: null } })).resolves.toBe(0);
  });

  it("sweeps a broadcast only once it is older than sweepAfterMs (younger ones are a fast path's)", async () => {
    const tenantId = randomUUID();
    const published: StreamEntry[] = [];
    const relay = new OutboxRelay(db.prisma, { fanOut: async (entries) => void published.push(...entries) }, { sweepAfterMs: 60_000 });
    await new PrismaUnitOfWork(db.prisma).run((tx) => tx.broadcasts.broadcast(tenantId, [broadcastOf(tenantId)]));

    await relay.sweep();
    expect(published.filter((e) => e.tenantStream === tenantId)).toEqual([]);
    await db.prisma.$executeRaw`UPDATE tenant_stream_events SET created_at = created_at - interval '61 seconds' WHERE tenant_id = ${tenantId}`;
    await relay.sweep();

    expect(published.filter((e) => e.tenantStream === tenantId)).toHaveLength(1);
    await expect(db.prisma.tenantStreamEvent.count({ where: { tenantId, publishedAt: null } })).resolves.toBe(0);
    await relay.stop();
  });

  it('rolls a broadcast back with the rest of its unit', async () => {
    const tenantId = randomUUID();
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    await expect(
      unitOfWork.run(async (tx) => {
        await tx.broadcasts.broadcast(tenantId, [broadcastOf(tenantId)]);
        throw new Error('the rest of the unit failed');
      }),
    ).rejects.toThrow('the rest of the unit failed');
    await expect(new PrismaTenantEventLog(db.prisma).headCursor(tenantId)).resolves.toBe(0);
    await expect(db.prisma.tenantStreamEvent.count({ where: { tenantId } })).resolves.toBe(0);
  });

  it('trims only a published prefix, and keeps the archive row of a broadcast still in the stream', async () => {
    const tenantId = randomUUID();
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    const events = [broadcastOf(tenantId), broadcastOf(tenantId), broadcastOf(tenantId)];
    await unitOfWork.run((tx) => tx.broadcasts.broadcast(tenantId, events));
    const longAgo = new Date('2000-01-01T00:00:00Z');
    // 1 and 3 are old, but 2 is not yet published: only 1 may go, or the stream would get a hole.
    await db.prisma.tenantStreamEvent.updateMany({ where: { tenantId, cursor: { in: [1n, 3n] } }, data: { publishedAt: new Date(), createdAt: longAgo } });
    await db.prisma.event.updateMany({ where: { id: { in: events.map((e) => e.id) } }, data: { createdAt: longAgo } });
    await new EventRetention(db.prisma).purgeOlderThan(new Date('2001-01-01T00:00:00Z'));

    const log = new PrismaTenantEventLog(db.prisma);
    expect((await log.readAfter(tenantId, 0, 10)).map((e) => e.cursor)).toEqual([2, 3]);
    await expect(log.oldestRetainedCursor(tenantId)).resolves.toBe(2);
    const archived = await db.prisma.event.findMany({ where: { id: { in: events.map((e) => e.id) } }, select: { id: true } });
    expect(archived.map((e) => e.id).sort()).toEqual([events[1]!.id, events[2]!.id].sort());
  });
});
