import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaSessionStore } from './prisma-session-store.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

// The SessionStore contract runs in prisma-contracts.test.ts, on both databases; this is the purge and the
// user-tenant check on create (the in-memory fake knows no users, so it is not in the contract).
describe('PrismaSessionStore', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('deletes sessions past their absolute end only, revoked or not', async () => {
    const now = new Date('2026-06-01T12:00:00.000Z');
    const store = new PrismaSessionStore(db.prisma, () => now);
    const userId = randomUUID();
    await db.prisma.user.create({ data: { id: userId, tenantId: 'tenant-test', email: `${userId}@example.test`, passwordHash: 'x', createdAt: now } });
    const at = (ms: number) => new Date(now.getTime() + ms);
    const ended = { id: randomUUID(), tenantId: 'tenant-test', userId, createdAt: at(-2000), expiresAt: at(-1), idleExpiresAt: at(-1), revokedAt: null };
    const endedRevoked = { ...ended, id: randomUUID(), revokedAt: at(-1500) };
    const revoked = { ...ended, id: randomUUID(), expiresAt: at(60_000), idleExpiresAt: at(60_000), revokedAt: at(-1000) };
    for (const s of [ended, endedRevoked, revoked]) await store.create(s);

    await expect(store.purgeExpired()).resolves.toBe(2);

    await expect(store.find({ tenantId: 'tenant-test', sessionId: ended.id })).resolves.toBeNull();
    await expect(store.find({ tenantId: 'tenant-test', sessionId: endedRevoked.id })).resolves.toBeNull();
    await expect(store.find({ tenantId: 'tenant-test', sessionId: revoked.id })).resolves.toEqual(revoked);
  });

  it("refuses a session naming a tenant that is not its user's", async () => {
    const store = new PrismaSessionStore(db.prisma);
    const userId = randomUUID();
    const now = new Date();
    await db.prisma.user.create({ data: { id: userId, tenantId: 'tenant-test', email: `${userId}@example.test`, passwordHash: 'x', createdAt: now } });
    const session = { id: randomUUID(), tenantId: 'tenant-other', userId, createdAt: now, expiresAt: new Date(now.getTime() + 60_000), idleExpiresAt: new Date(now.getTime() + 60_000), revokedAt: null };

    await expect(store.create(session)).rejects.toThrow(`no user ${userId} in tenant tenant-other`);
    expect(await db.prisma.loginSession.count({ where: { id: session.id } })).toBe(0);
  });
});
