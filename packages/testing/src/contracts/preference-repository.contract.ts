import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { PreferenceRepository, UserRepository } from '@pushline/domain';
import { givenUser, TEST_TENANT_ID } from '../mothers/user.mother.js';

export interface PreferenceRepositoryUnderTest {
  readonly preferences: PreferenceRepository;
  readonly users: UserRepository;
  teardown?(): Promise<void>;
}

/** What every PreferenceRepository adapter must do: merge per category and channel, per user. */
export function describePreferenceRepositoryContract(name: string, setup: () => PreferenceRepositoryUnderTest | Promise<PreferenceRepositoryUnderTest>): void {
  describe(`${name} (PreferenceRepository contract)`, () => {
    let subject: PreferenceRepositoryUnderTest;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    const ownerOf = (userId: string) => ({ tenantId: TEST_TENANT_ID, userId });

    it('stores nothing until told, then merges each change into what is stored, per user', async () => {
      const userId = ownerOf(await givenUser(subject.users));
      const other = ownerOf(await givenUser(subject.users));
      await expect(subject.preferences.forUser(userId)).resolves.toEqual({});

      await subject.preferences.save(userId, { orders: { email: false } }, new Date());
      await subject.preferences.save(userId, { orders: { web_push: false }, mentions: { in_app: true, webhook: false } }, new Date());

      await expect(subject.preferences.forUser(userId)).resolves.toEqual({ orders: { email: false, web_push: false }, mentions: { in_app: true, webhook: false } });
      await expect(subject.preferences.forUser(other)).resolves.toEqual({});
    });

    it("finds nothing of a tenant's user through another tenant's id", async () => {
      const owner = ownerOf(await givenUser(subject.users));
      await subject.preferences.save(owner, { orders: { email: false } }, new Date());

      await expect(subject.preferences.forUser({ ...owner, tenantId: 'tenant-other' })).resolves.toEqual({});
      await expect(subject.preferences.forUser(owner)).resolves.toEqual({ orders: { email: false } });
    });

    it("never changes a tenant's stored choice through another tenant's id", async () => {
      const owner = ownerOf(await givenUser(subject.users));
      await subject.preferences.save(owner, { orders: { email: false } }, new Date());

      // An adapter may refuse the write (the database keeps one row per user and category) or keep it
      // apart (the fake); either way the tenant's own row stays as it was.
      await subject.preferences.save({ ...owner, tenantId: 'tenant-other' }, { orders: { email: true } }, new Date()).catch(() => undefined);

      await expect(subject.preferences.forUser(owner)).resolves.toEqual({ orders: { email: false } });
    });
  });
}
