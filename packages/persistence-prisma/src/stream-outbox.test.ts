import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventMother } from '@pushline/testing';
import { PrismaTenantRepository } from './prisma-tenant.repository.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { PrismaUserRepository } from './prisma-user.repository.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { unpublishedEntriesOf } from './testing/stream-outbox.js';

/**
 * Decision 61: `stream_outbox` has no foreign key to `stream_events`, so whatever deletes entries must
 * delete their outbox rows; one left behind would count in the backlog gauge and in every drain's look.
 */
describe.each(['pglite', 'postgres'] as const)('stream_outbox rows when entries are deleted (%s)', (kind) => {
  let db: TestDatabase;
  let unitOfWork: PrismaUnitOfWork;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    // No relay: every entry stays unpublished, its outbox row in place.
    unitOfWork = new PrismaUnitOfWork(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function givenTenant(): Promise<string> {
    const tenantId = randomUUID();
    await db.prisma.$executeRaw`INSERT INTO tenants (id, name, created_at) VALUES (${tenantId}, ${`t-${tenantId.slice(0, 8)}`}, now())`;
    return tenantId;
  }

  async function givenUserWithEntries(tenantId: string, entries: number): Promise<string> {
    const userId = randomUUID();
    await db.prisma.$executeRaw`INSERT INTO users (id, tenant_id, email, password_hash, created_at) VALUES (${userId}, ${tenantId}, ${`${userId}@example.com`}, 'h', now())`;
    await unitOfWork.run((scope) => scope.events.publish(Array.from({ length: entries }, () => ({ ...EventMother.read(userId), tenantid: tenantId }))));
    return userId;
  }

  const outboxRowsOf = (...userIds: string[]): Promise<number> => unpublishedEntriesOf(db.prisma, userIds);
  const orphanOutboxRows = async (): Promise<number> => {
    const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM stream_outbox o WHERE NOT EXISTS (SELECT 1 FROM stream_events e WHERE e.seq = o.seq)`;
    return row!.n;
  };

  it('a deleted user takes its outbox rows along, and leaves the other users\' in place', async () => {
    const tenantId = await givenTenant();
    const [gone, kept] = [await givenUserWithEntries(tenantId, 3), await givenUserWithEntries(tenantId, 2)];
    expect(await outboxRowsOf(gone, kept)).toBe(5);

    await expect(new PrismaUserRepository(db.prisma).deleteWithData(gone)).resolves.toBe(true);

    expect(await outboxRowsOf(kept)).toBe(2);
    expect(await orphanOutboxRows()).toBe(0);
  });

  it("a deleted tenant takes its users' outbox rows along, and leaves another tenant's in place", async () => {
    const [doomed, other] = [await givenTenant(), await givenTenant()];
    const doomedUsers = [await givenUserWithEntries(doomed, 2), await givenUserWithEntries(doomed, 1)];
    const otherUser = await givenUserWithEntries(other, 2);

    await expect(new PrismaTenantRepository(db.prisma).deleteWithData(doomed)).resolves.toEqual(expect.arrayContaining(doomedUsers));

    expect(await outboxRowsOf(otherUser)).toBe(2);
    expect(await orphanOutboxRows()).toBe(0);
  });
});
