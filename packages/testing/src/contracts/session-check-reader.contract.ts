import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { LoginSession, SessionCheckReader, SessionStore, TenantRepository, UserRepository } from '@pushline/domain';
import { aUser } from '../mothers/user.mother.js';
import { aTenant } from './tenant-repository.contract.js';

export interface SessionCheckReaderUnderTest {
  readonly reader: SessionCheckReader;
  readonly sessions: SessionStore;
  readonly users: UserRepository;
  readonly tenants: TenantRepository;
  teardown?(): Promise<void>;
}

const HOUR = 3_600_000;

/**
 * The behaviour every SessionCheckReader adapter must show: each of the three as its own port answers
 * it (the session only in its tenant), read after it was asked for, however many reads run at once.
 */
export function describeSessionCheckReaderContract(name: string, setup: () => SessionCheckReaderUnderTest | Promise<SessionCheckReaderUnderTest>): void {
  describe(`${name} (SessionCheckReader contract)`, () => {
    let subject: SessionCheckReaderUnderTest;
    const now = new Date('2026-06-01T12:00:00.000Z');

    /** A tenant, a user of it and a session of that user, stored. */
    async function given(): Promise<LoginSession> {
      const tenant = aTenant({ createdAt: new Date('2026-05-01T08:00:00.123Z') });
      await subject.tenants.save(tenant);
      const user = aUser({ tenantId: tenant.id, createdAt: new Date('2026-05-02T08:00:00.456Z') });
      await subject.users.upsertByEmail(user);
      const session: LoginSession = { id: randomUUID(), tenantId: tenant.id, userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + 24 * HOUR), idleExpiresAt: new Date(now.getTime() + HOUR), revokedAt: null };
      await subject.sessions.create(session);
      return session;
    }
    const ref = (s: LoginSession) => ({ tenantId: s.tenantId, sessionId: s.id });

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('reads the session, its user and its tenant as their own ports find them, to the millisecond', async () => {
      const s = await given();
      const rows = await subject.reader.read(ref(s), s.userId);
      expect(rows).toEqual({ session: s, user: await subject.users.findById(s.userId), tenant: await subject.tenants.findById(s.tenantId) });
      expect(rows.user?.tenantId).toBe(s.tenantId);
    });

    it('finds no session through another tenant, and nothing for ids that name nothing', async () => {
      const s = await given();
      const other = await given();
      const across = await subject.reader.read({ tenantId: other.tenantId, sessionId: s.id }, s.userId);
      expect(across.session).toBeNull();
      expect(across.tenant?.id).toBe(other.tenantId);
      expect(across.user?.tenantId).toBe(s.tenantId); // the caller compares it with the token's tenant

      await expect(subject.reader.read({ tenantId: randomUUID(), sessionId: randomUUID() }, randomUUID())).resolves.toEqual({ session: null, user: null, tenant: null });
    });

    it('sees a logout, a disabled user and a disabled tenant at the next read', async () => {
      const s = await given();
      await subject.reader.read(ref(s), s.userId);
      const at = new Date(now.getTime() + 1000);
      await subject.sessions.revoke(ref(s), at);
      await subject.users.setDisabled(s.userId, at);
      await subject.tenants.setDisabled(s.tenantId, at);

      const rows = await subject.reader.read(ref(s), s.userId);
      expect(rows.session?.revokedAt).toEqual(at);
      expect(rows.user?.disabledAt).toEqual(at);
      expect(rows.tenant?.disabledAt).toEqual(at);
    });

    it('answers reads asked at once each with its own rows', async () => {
      const stored = await Promise.all([given(), given(), given()]);
      const asked = [...stored, stored[0]!];
      const rows = await Promise.all(asked.map((s) => subject.reader.read(ref(s), s.userId)));
      expect(rows.map((r) => [r.session?.id, r.user?.id, r.tenant?.id])).toEqual(asked.map((s) => [s.id, s.userId, s.tenantId]));
    });
  });
}
