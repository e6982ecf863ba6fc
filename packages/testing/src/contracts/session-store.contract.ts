import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { LoginSession, SessionStore } from '@pushline/domain';

export interface SessionStoreUnderTest {
  readonly sessions: SessionStore;
  /** A stored user the sessions may belong to. */
  newUserId(): Promise<string>;
  /** Deletes the user; its sessions must go with it. */
  deleteUser(userId: string): Promise<void>;
  teardown?(): Promise<void>;
}

const HOUR = 3_600_000;

/** The behaviour every SessionStore adapter must show. */
export function describeSessionStoreContract(name: string, setup: () => SessionStoreUnderTest | Promise<SessionStoreUnderTest>): void {
  describe(`${name} (SessionStore contract)`, () => {
    let subject: SessionStoreUnderTest;
    let userId: string;
    const now = new Date('2026-06-01T12:00:00.000Z');
    const session = (overrides: Partial<LoginSession> = {}): LoginSession => ({
      id: randomUUID(),
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 30 * 24 * HOUR),
      idleExpiresAt: new Date(now.getTime() + 24 * HOUR),
      revokedAt: null,
      ...overrides,
    });

    beforeEach(async () => {
      subject = await setup();
      userId = await subject.newUserId();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('stores a session and finds it, to the millisecond', async () => {
      const s = session();
      await subject.sessions.create(s);
      await expect(subject.sessions.find(s.id)).resolves.toEqual(s);
      await expect(subject.sessions.find(randomUUID())).resolves.toBeNull();
    });

    it('moves the idle end of an active session, never past its absolute end', async () => {
      const s = session();
      await subject.sessions.create(s);
      await expect(subject.sessions.extendIdle(s.id, new Date(now.getTime() + 2 * HOUR))).resolves.toBe(true);
      expect((await subject.sessions.find(s.id))?.idleExpiresAt).toEqual(new Date(now.getTime() + 2 * HOUR));
      await subject.sessions.extendIdle(s.id, new Date(now.getTime() + 90 * 24 * HOUR));
      expect((await subject.sessions.find(s.id))?.idleExpiresAt).toEqual(s.expiresAt);
      await expect(subject.sessions.extendIdle(randomUUID(), now)).resolves.toBe(false);
    });

    it('revokes once: the first revocation time stays, and a revoked session is never extended', async () => {
      const s = session();
      await subject.sessions.create(s);
      await subject.sessions.revoke(s.id, now);
      await subject.sessions.revoke(s.id, new Date(now.getTime() + HOUR));
      expect((await subject.sessions.find(s.id))?.revokedAt).toEqual(now);
      await expect(subject.sessions.extendIdle(s.id, new Date(now.getTime() + 2 * HOUR))).resolves.toBe(false);
      expect((await subject.sessions.find(s.id))?.idleExpiresAt).toEqual(s.idleExpiresAt);
    });

    it('forgets the sessions of a deleted user', async () => {
      const s = session();
      await subject.sessions.create(s);
      await subject.deleteUser(userId);
      await expect(subject.sessions.find(s.id)).resolves.toBeNull();
    });
  });
}
