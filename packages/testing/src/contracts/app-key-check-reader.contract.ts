import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ApiKey, ApiKeyRepository, App, AppKeyCheckReader, AppRepository, TenantRepository } from '@pushline/domain';
import { aKey, anApp } from './app-repository.contract.js';
import { aTenant } from './tenant-repository.contract.js';

export interface AppKeyCheckReaderUnderTest {
  readonly reader: AppKeyCheckReader;
  readonly apps: AppRepository;
  readonly keys: ApiKeyRepository;
  readonly tenants: TenantRepository;
  teardown?(): Promise<void>;
}

/**
 * The behaviour every AppKeyCheckReader adapter must show: the key, its app and the app's tenant as
 * their own ports answer them, read after the read was asked for, however many reads run at once.
 */
export function describeAppKeyCheckReaderContract(name: string, setup: () => AppKeyCheckReaderUnderTest | Promise<AppKeyCheckReaderUnderTest>): void {
  describe(`${name} (AppKeyCheckReader contract)`, () => {
    let subject: AppKeyCheckReaderUnderTest;

    /** A tenant, an app of it and a key of that app, stored. */
    async function given(): Promise<{ key: ApiKey; app: App }> {
      const tenant = aTenant({ createdAt: new Date('2026-05-01T08:00:00.123Z') });
      await subject.tenants.save(tenant);
      const app = anApp({ tenantId: tenant.id, createdAt: new Date('2026-05-02T08:00:00.456Z') });
      await subject.apps.create(app);
      const key = aKey(app, { scopes: ['events:publish', 'notifications:write'] });
      await subject.keys.save(key);
      return { key, app };
    }

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('reads the key, its app and the tenant as their own ports find them, to the millisecond', async () => {
      const { key, app } = await given();
      const rows = await subject.reader.read(key.prefix);
      expect(rows).toEqual({ key: await subject.keys.findByPrefix(key.prefix), app: await subject.apps.findById(app.id), tenant: await subject.tenants.findById(app.tenantId) });
      expect(rows.key).toEqual(key);
      expect(rows.app).toEqual(app);
    });

    it('finds nothing for a prefix no key has', async () => {
      await given();
      await expect(subject.reader.read(randomUUID().replace(/-/g, '').slice(0, 12))).resolves.toEqual({ key: null, app: null, tenant: null });
    });

    it('sees a revoked key and a disabled tenant at the next read', async () => {
      const { key, app } = await given();
      await subject.reader.read(key.prefix);
      const at = new Date('2026-06-01T12:00:01.000Z');
      await subject.keys.revoke(app.id, key.id, at);
      await subject.tenants.setDisabled(app.tenantId, at);

      const rows = await subject.reader.read(key.prefix);
      expect(rows.key?.revokedAt).toEqual(at);
      expect(rows.tenant?.disabledAt).toEqual(at);
    });

    it('answers reads asked at once each with its own rows, the same key twice included', async () => {
      const stored = await Promise.all([given(), given(), given()]);
      const asked = [...stored, stored[0]!];
      const rows = await Promise.all(asked.map((s) => subject.reader.read(s.key.prefix)));
      expect(rows.map((r) => [r.key?.id, r.app?.id, r.tenant?.id])).toEqual(asked.map((s) => [s.key.id, s.app.id, s.app.tenantId]));
    });
  });
}
