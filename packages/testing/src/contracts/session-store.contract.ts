import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { LoginSession, SessionStore } from '@pushline/domain';

export interface SessionStoreUnderTest {
  readonly sessions: SessionStore;
  /** A stored user of `tenantId` the sessions may belong to. */
  newUserId(tenantId: string): Promise<string>;
  /** Deletes the user; its sessions must go with it. */
  deleteUser(userId: string): Promise<void>;
  teardown?(): Promise<void>;
}

const HOUR = 3_600_000;
const TENANT = 'tenant-sessions-a';
const OTHER_TENANT = 'tenant-sessions-b';

const ref = (s: LoginSession) => ({ tenantId: s.tenantId, sessionId: s.id });

/** The behaviour every SessionStore adapter must show; a session id names nothing outside its tenant. */
export function describeSessionStoreContract(name: string, setup: () => SessionStoreUnderTest | Promise<SessionStoreUnderTest>): void {
  describe(`${name} (SessionStore contract)`, () => {
    let subject: SessionStoreUnderTest;
    let userId: string;
    const now = new Date('2026-06-01T12:00:00.000Z');
    const session = (overrides: Partial<LoginSession> = {}): LoginSession => ({
      id: randomUUID(),
      tenantId: TENANT,
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 30 * 24 * HOUR),
      idleExpiresAt: new Date(now.getTime() + 24 * HOUR),
      revokedAt: null,
      ...overrides,
    });

    beforeEach(async () => {
      subject = await setup();
      userId = await subject.newUserId(TENANT);
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('stores a session and finds it, to the millisecond', async () => {
      const s = session();
      await subject.sessions.create(s);
      await expect(subject.sessions.find(ref(s))).resolves.toEqual(s);
      await expect(subject.sessions.find({ tenantId: TENANT, sessionId: randomUUID() })).resolves.toBeNull();
    });

    it('moves the idle end of an active session, never past its absolute end', async () => {
      const s = session();
      await subject.sessions.create(s);
      await expect(subject.sessions.extendIdle(ref(s), new Date(now.getTime() + 2 * HOUR))).resolves.toBe(true);
      expect((await subject.sessions.find(ref(s)))?.idleExpiresAt).toEqual(new Date(now.getTime() + 2 * HOUR));
      await subject.sessions.extendIdle(ref(s), new Date(now.getTime() + 90 * 24 * HOUR));
      expect((await subject.sessions.find(ref(s)))?.idleExpiresAt).toEqual(s.expiresAt);
      await expect(subject.sessions.extendIdle({ tenantId: TENANT, sessionId: randomUUID() }, now)).resolves.toBe(false);
    });

    it('revokes once: the first revocation time stays, and a revoked session is never extended', async () => {
      const s = session();
      await subject.sessions.create(s);
      await subject.sessions.revoke(ref(s), now);
      await subject.sessions.revoke(ref(s), new Date(now.getTime() + HOUR));
      expect((await subject.sessions.find(ref(s)))?.revokedAt).toEqual(now);
      await expect(subject.sessions.extendIdle(ref(s), new Date(now.getTime() + 2 * HOUR))).resolves.toBe(false);
      expect((await subject.sessions.find(ref(s)))?.idleExpiresAt).toEqual(s.idleExpiresAt);
    });

    it("finds nothing of a tenant's session through another tenant, and neither extends nor revokes it", async () => {
      const s = session();
      await subject.sessions.create(s);
      const elsewhere = { tenantId: OTHER_TENANT, sessionId: s.id };

      await expect(subject.sessions.find(elsewhere)).resolves.toBeNull();
      await expect(subject.sessions.extendIdle(elsewhere, new Date(now.getTime() + 2 * HOUR))).resolves.toBe(false);
      await subject.sessions.revoke(elsewhere, now);

      await expect(subject.sessions.find(ref(s))).resolves.toEqual(s);
    });

    it("keeps two tenants' sessions apart when they are read at the same time", async () => {
      const other = await subject.newUserId(OTHER_TENANT);
      const [a, b] = [session(), session({ tenantId: OTHER_TENANT, userId: other })];
      await subject.sessions.create(a);
      await subject.sessions.create(b);

      // Concurrent reads may travel as one query: each must still get its own tenant's answer.
      const found = await Promise.all([ref(a), ref(b), { tenantId: OTHER_TENANT, sessionId: a.id }, { tenantId: TENANT, sessionId: b.id }].map((r) => subject.sessions.find(r)));
      expect(found).toEqual([a, b, null, null]);
    });

    it('forgets the sessions of a deleted user', async () => {
      const s = session();
      await subject.sessions.create(s);
      await subject.deleteUser(userId);
      await expect(subject.sessions.find(ref(s))).resolves.toBeNull();
    });
  });
}
