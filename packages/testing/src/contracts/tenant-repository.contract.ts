import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Tenant, TenantRepository, UserRepository } from '@pushline/domain';
import { givenUser } from '../mothers/user.mother.js';

export interface TenantRepositoryUnderTest {
  readonly tenants: TenantRepository;
  /** The users `deleteWithData` must remove with their tenant. */
  readonly users: UserRepository;
  teardown?(): Promise<void>;
}

/** A tenant value with a fresh id; created "now" unless a test says otherwise. */
export function aTenant(overrides: Partial<Tenant> = {}): Tenant {
  return { id: randomUUID(), name: 'Acme', createdAt: new Date(), disabledAt: null, ...overrides };
}

/**
 * The behaviour every TenantRepository adapter must show. Each test uses fresh ids, so an adapter may
 * share one database across the whole suite (the list test reads its own tenants out of every page).
 */
export function describeTenantRepositoryContract(name: string, setup: () => TenantRepositoryUnderTest | Promise<TenantRepositoryUnderTest>): void {
  describe(`${name} (TenantRepository contract)`, () => {
    let subject: TenantRepositoryUnderTest;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('stores a tenant and finds it, to the millisecond; saving its id again keeps the first', async () => {
      const tenant = aTenant({ createdAt: new Date('2026-03-01T10:00:00.123Z') });
      await subject.tenants.save(tenant);
      await subject.tenants.save({ ...tenant, name: 'Other name' });

      await expect(subject.tenants.findById(tenant.id)).resolves.toEqual(tenant);
      await expect(subject.tenants.findById(randomUUID())).resolves.toBeNull();
    });

    it('lists tenants oldest first, page by page, each once', async () => {
      const base = Date.parse('2001-01-01T00:00:00.000Z') + Math.floor(Math.random() * 1e9);
      // Two share a creation time: the id breaks the tie.
      const mine = [aTenant({ createdAt: new Date(base) }), aTenant({ createdAt: new Date(base + 1) }), aTenant({ createdAt: new Date(base + 1) })];
      for (const t of mine) await subject.tenants.save(t);

      const seen: Tenant[] = [];
      let after: string | undefined;
      for (let page = 0; page < 1000; page += 1) {
        const { items, nextCursor } = await subject.tenants.list({ limit: 2, ...(after && { after }) });
        expect(items.length).toBeLessThanOrEqual(2);
        seen.push(...items);
        if (!nextCursor) break;
        after = nextCursor;
      }
      const ids = new Set(mine.map((t) => t.id));
      const expected = [...mine].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
      expect(seen.filter((t) => ids.has(t.id))).toEqual(expected);
      expect(new Set(seen.map((t) => t.id)).size).toBe(seen.length);
    });

    it('disables and re-enables a tenant; an unknown tenant gets null', async () => {
      const tenant = aTenant();
      await subject.tenants.save(tenant);
      const at = new Date('2026-04-01T08:00:00.456Z');

      await expect(subject.tenants.setDisabled(tenant.id, at)).resolves.toEqual({ ...tenant, disabledAt: at });
      await expect(subject.tenants.findById(tenant.id)).resolves.toEqual({ ...tenant, disabledAt: at });
      await expect(subject.tenants.setDisabled(tenant.id, null)).resolves.toEqual(tenant);
      await expect(subject.tenants.setDisabled(randomUUID(), at)).resolves.toBeNull();
    });

    it("deletes a tenant with its users and answers their ids, leaving another tenant's users alone", async () => {
      const [doomed, other] = [aTenant(), aTenant()];
      await subject.tenants.save(doomed);
      await subject.tenants.save(other);
      const gone = [await givenUser(subject.users, new Date(), doomed.id), await givenUser(subject.users, new Date(), doomed.id)];
      const kept = await givenUser(subject.users, new Date(), other.id);

      await expect(subject.tenants.deleteWithData(doomed.id)).resolves.toEqual([...gone].sort());

      await expect(subject.tenants.findById(doomed.id)).resolves.toBeNull();
      for (const userId of gone) await expect(subject.users.findById(userId)).resolves.toBeNull();
      await expect(subject.users.findById(kept)).resolves.toMatchObject({ tenantId: other.id });
      await expect(subject.tenants.findById(other.id)).resolves.toEqual(other);
      await expect(subject.tenants.deleteWithData(doomed.id)).resolves.toBeNull();
    });
  });
}
