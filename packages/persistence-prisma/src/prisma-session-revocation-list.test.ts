import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaSessionRevocationList } from './prisma-session-revocation-list.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

describe('PrismaSessionRevocationList on postgres', () => {
  let db: TestDatabase;
  let now: Date;
  let revocations: PrismaSessionRevocationList;
  const minutes = (n: number) => new Date(Date.parse('2026-05-01T10:00:00Z') + n * 60_000);

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    revocations = new PrismaSessionRevocationList(db.prisma, () => now);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('refuses a revoked session until the revocation ends', async () => {
    now = minutes(0);
    await revocations.revoke('session-a', minutes(15));

    await expect(revocations.isRevoked('session-a')).resolves.toBe(true);
    await expect(revocations.isRevoked('session-b')).resolves.toBe(false);
    now = minutes(15);
    await expect(revocations.isRevoked('session-a')).resolves.toBe(false);
  });

  it('never shortens a revocation when revoked again', async () => {
    now = minutes(0);
    await revocations.revoke('session-c', minutes(30));
    await revocations.revoke('session-c', minutes(5));

    now = minutes(10);
    await expect(revocations.isRevoked('session-c')).resolves.toBe(true);
  });

  it('purges only revocations that have ended', async () => {
    now = minutes(0);
    await revocations.revoke('session-d', minutes(1));
    await revocations.revoke('session-e', minutes(100));
    now = minutes(50);

    await revocations.purgeExpired();

    const left = await db.prisma.revokedSession.findMany({ where: { sessionId: { in: ['session-d', 'session-e'] } } });
    expect(left.map((r) => r.sessionId)).toEqual(['session-e']);
  });
});
