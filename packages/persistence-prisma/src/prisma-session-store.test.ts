import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describeSessionStoreContract } from '@pushline/testing';
import { PrismaSessionStore } from './prisma-session-store.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

describe.each(['pglite', 'postgres'] as const)('PrismaSessionStore on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  const newUserId = async (): Promise<string> => {
    const id = randomUUID();
    await db.prisma.user.create({ data: { id, email: `${id}@example.test`, passwordHash: 'x', createdAt: new Date() } });
    return id;
  };

  describeSessionStoreContract('PrismaSessionStore', () => ({
    sessions: new PrismaSessionStore(db.prisma),
    newUserId,
    deleteUser: async (userId) => void (await db.prisma.user.delete({ where: { id: userId } })),
  }));

  it('purges sessions past their absolute end only', async () => {
    const now = new Date('2026-06-01T12:00:00.000Z');
    const store = new PrismaSessionStore(db.prisma, () => now);
    const userId = await newUserId();
    const at = (ms: number) => new Date(now.getTime() + ms);
    const ended = { id: randomUUID(), userId, createdAt: at(-2000), expiresAt: at(-1), idleExpiresAt: at(-1), revokedAt: null };
    const revoked = { ...ended, id: randomUUID(), expiresAt: at(60_000), idleExpiresAt: at(60_000), revokedAt: at(-1000) };
    await store.create(ended);
    await store.create(revoked);

    await expect(store.purgeExpired()).resolves.toBeGreaterThanOrEqual(1);

    await expect(store.find(ended.id)).resolves.toBeNull();
    await expect(store.find(revoked.id)).resolves.toEqual(revoked);
  });
});
