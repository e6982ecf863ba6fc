import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ApiKey, ApiKeyRepository } from '@pushline/domain';

export interface ApiKeyListingUnderTest {
  readonly keys: ApiKeyRepository;
  teardown?(): Promise<void>;
}

const aKey = (tenantId: string, appId: string, createdAt: Date): ApiKey => ({
  id: randomUUID(),
  tenantId,
  appId,
  prefix: randomUUID().replaceAll('-', '').slice(0, 16),
  keyHash: 'hash',
  scopes: ['events:publish'],
  createdAt,
  lastUsedAt: null,
  revokedAt: null,
});

/** `ApiKeyRepository.listByApp` (the operator's key list): fresh tenants and apps per test. */
export function describeApiKeyListingContract(name: string, setup: () => ApiKeyListingUnderTest | Promise<ApiKeyListingUnderTest>): void {
  describe(`${name} (ApiKeyRepository.listByApp contract)`, () => {
    let subject: ApiKeyListingUnderTest;
    let tenantId: string;
    let appId: string;
    beforeEach(async () => {
      subject = await setup();
      [tenantId, appId] = [`tenant-${randomUUID()}`, `app-${randomUUID()}`];
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it("lists an app's keys oldest first, page by page, revoked ones included, to the millisecond", async () => {
      const base = Date.now() - 60_000;
      const keys = [aKey(tenantId, appId, new Date(base)), aKey(tenantId, appId, new Date(base + 1)), aKey(tenantId, appId, new Date(base + 1))];
      keys.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
      for (const k of [keys[2]!, keys[0]!, keys[1]!]) await subject.keys.save(k);
      await subject.keys.save(aKey(tenantId, `app-${randomUUID()}`, new Date(base)));
      await subject.keys.revoke(appId, keys[1]!.id, new Date(base + 5));

      const first = await subject.keys.listByApp(tenantId, appId, { limit: 2 });
      expect(first.items).toEqual([keys[0], { ...keys[1]!, revokedAt: new Date(base + 5) }]);
      const second = await subject.keys.listByApp(tenantId, appId, { limit: 2, after: first.nextCursor! });
      expect(second).toEqual({ items: [keys[2]], nextCursor: null });
    });

    it("never lists an app's keys under another tenant", async () => {
      await subject.keys.save(aKey(tenantId, appId, new Date()));
      await expect(subject.keys.listByApp(`tenant-${randomUUID()}`, appId, { limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
    });
  });
}
