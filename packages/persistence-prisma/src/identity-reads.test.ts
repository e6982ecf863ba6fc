import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { givenUser, TEST_TENANT_ID } from '@pushline/testing';
import { hotSqlOf, type HotSql } from './hot-sql.js';
import { IdentityReads } from './identity-reads.js';
import { PrismaSessionStore } from './prisma-session-store.js';
import { PrismaTenantRepository } from './prisma-tenant.repository.js';
import { PrismaUserRepository } from './prisma-user.repository.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

/** The session, user and tenant reads of every request as one statement, on PostgreSQL. */
describe('IdentityReads on postgres', () => {
  let db: TestDatabase;
  let users: PrismaUserRepository;
  let sessions: PrismaSessionStore;
  let statements: unknown[][];
  let failNext = false;
  /** While set, statements wait for it before they run (one held in flight). */
  let hold: Promise<void> | null = null;
  let reads: IdentityReads;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    users = new PrismaUserRepository(db.prisma);
    sessions = new PrismaSessionStore(db.prisma);
    const sql = hotSqlOf(db.prisma);
    const counting: HotSql = {
      query: async (text, params) => {
        statements.push([...params]);
        if (failNext) {
          failNext = false;
          throw new Error('connection lost');
        }
        await hold;
        return sql.query(text, params);
      },
    };
    reads = new IdentityReads(counting);
    await new PrismaTenantRepository(db.prisma).save({ id: TEST_TENANT_ID, name: 'Test tenant', createdAt: new Date('2026-12-01T10:00:00.123Z'), disabledAt: null });
  });

  afterAll(async () => {
    await db?.dispose();
  });

  async function givenSession(userId: string, tenantId = TEST_TENANT_ID): Promise<string> {
    const id = randomUUID();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 123);
    await sessions.create({ id, tenantId, userId, createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000), idleExpiresAt: new Date(now.getTime() + 600_000), revokedAt: null });
    return id;
  }

  it("answers a request's session, user and tenant with one statement, as the repositories read them", async () => {
    const userId = await givenUser(users);
    const sessionId = await givenSession(userId);
    statements = [];

    const [session, user, tenant] = await Promise.all([reads.session({ tenantId: TEST_TENANT_ID, sessionId }), reads.user(userId), reads.tenant(TEST_TENANT_ID)]);

    expect(statements).toHaveLength(1);
    await expect(db.prisma.loginSession.findUnique({ where: { id: sessionId } })).resolves.toEqual(session);
    const { passwordHash, ...row } = (await db.prisma.user.findUnique({ where: { id: userId } }))!;
    expect(user).toEqual(expect.objectContaining({ ...row, passwordHash }));
    expect(user!.createdAt).toBeInstanceOf(Date);
    expect(tenant).toEqual({ id: TEST_TENANT_ID, name: 'Test tenant', createdAt: new Date('2026-12-01T10:00:00.123Z'), disabledAt: null });
    expect(session).toMatchObject({ userId, tenantId: TEST_TENANT_ID, revokedAt: null });
  });

  it("never answers a session key with another tenant's session, and answers null for what is missing", async () => {
    const userId = await givenUser(users);
    const sessionId = await givenSession(userId);

    const [elsewhere, unknownSession, unknownUser, unknownTenant] = await Promise.all([
      reads.session({ tenantId: 'tenant-other', sessionId }),
      reads.session({ tenantId: TEST_TENANT_ID, sessionId: randomUUID() }),
      reads.user(randomUUID()),
      reads.tenant('tenant-unknown'),
    ]);

    expect([elsewhere, unknownSession, unknownUser, unknownTenant]).toEqual([null, null, null, null]);
  });

  it('sends reads asked while a statement is in flight together in the next one, each seeing what committed before it was asked', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => givenUser(users)));
    statements = [];

    let release: () => void = () => {};
    hold = new Promise((r) => (release = r));
    const first = reads.user(ids[0]!);
    await Promise.resolve(); // the first statement is sent, and held
    const disabledAt = new Date('2026-12-03T09:00:00.000Z');
    await db.prisma.user.update({ where: { id: ids[1]! }, data: { disabledAt } });
    const later = Promise.all(ids.slice(1).map((id) => reads.user(id)));
    await Promise.resolve();
    expect(statements).toHaveLength(1);
    hold = null;
    release();
    const rest = await later;

    await expect(first).resolves.toMatchObject({ id: ids[0] });
    expect(statements).toHaveLength(2);
    expect(statements[1]![2]).toEqual(ids.slice(1));
    expect(rest.map((u) => u!.id)).toEqual(ids.slice(1));
    expect(rest[0]!.disabledAt).toEqual(disabledAt);
  });

  it("rejects every read of a failed statement, and the next statement runs", async () => {
    const userId = await givenUser(users);
    failNext = true;

    const failed = await Promise.allSettled([reads.user(userId), reads.tenant(TEST_TENANT_ID)]);

    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(reads.user(userId)).resolves.toMatchObject({ id: userId });
  });

  it('is what the session store, user and tenant repositories of a PostgreSQL client read through', async () => {
    expect(IdentityReads.of(db.prisma)).toBeInstanceOf(IdentityReads);
    expect(IdentityReads.of(db.prisma)).toBe(IdentityReads.of(db.prisma));
    const userId = await givenUser(users);
    const sessionId = await givenSession(userId);
    const tenants = new PrismaTenantRepository(db.prisma);

    await expect(Promise.all([sessions.find({ tenantId: TEST_TENANT_ID, sessionId }), users.findById(userId), tenants.findById(TEST_TENANT_ID)])).resolves.toEqual([
      expect.objectContaining({ id: sessionId, userId }),
      expect.objectContaining({ id: userId }),
      expect.objectContaining({ id: TEST_TENANT_ID }),
    ]);
  });
});
