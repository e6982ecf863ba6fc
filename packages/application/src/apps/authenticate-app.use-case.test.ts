import { describe, expect, it } from '@jest/globals';
import { AuthenticationError, NotFoundError, TenantDisabledError, type AppKeyCheckReader } from '@pushline/domain';
import {
  describeAppKeyCheckReaderContract,
  FixedClock,
  InMemoryApiKeyRepository,
  InMemoryAppRepository,
  InMemoryTenantRepository,
  SequentialApiKeyGenerator,
} from '@pushline/testing';
import { appKeyCheckOf, AuthenticateApp } from './authenticate-app.use-case.js';

// The reader AuthenticateApp builds from the three ports when the adapter has no single read.
describeAppKeyCheckReaderContract('appKeyCheckOf (in-memory ports)', () => {
  const [apps, keys, tenants] = [new InMemoryAppRepository(), new InMemoryApiKeyRepository(), new InMemoryTenantRepository()];
  return { reader: appKeyCheckOf(keys, apps, tenants), apps, keys, tenants };
});

describe('AuthenticateApp', () => {
  const clock = new FixedClock('2026-06-01T12:00:00Z');

  async function given() {
    const [apps, keys, tenants, generator] = [new InMemoryAppRepository(), new InMemoryApiKeyRepository(), new InMemoryTenantRepository(), new SequentialApiKeyGenerator()];
    await tenants.save({ id: 't1', name: 'Acme', createdAt: clock.now(), disabledAt: null });
    await apps.create({ id: 'app-1', tenantId: 't1', name: 'Work Buddy', slug: 'workbuddy', createdAt: clock.now() });
    await apps.create({ id: 'app-2', tenantId: 't1', name: 'Other', slug: 'other', createdAt: clock.now() });
    const { key, prefix, hash } = generator.generate();
    await keys.save({ id: 'k1', tenantId: 't1', appId: 'app-1', prefix, keyHash: hash, scopes: ['events:publish'], createdAt: clock.now(), lastUsedAt: null, revokedAt: null });
    const reads: string[] = [];
    const inner = appKeyCheckOf(keys, apps, tenants);
    const counted: AppKeyCheckReader = { read: (p) => (reads.push(p), inner.read(p)) };
    return { auth: new AuthenticateApp(keys, apps, generator, clock, tenants, counted), key, keys, tenants, reads };
  }

  it('turns a valid key into its app, with one check read, and records its use', async () => {
    const { auth, key, keys, reads } = await given();
    await expect(auth.execute(key, 'app-1')).resolves.toEqual({ appId: 'app-1', tenantId: 't1', slug: 'workbuddy', keyId: 'k1', scopes: ['events:publish'] });
    expect(reads).toHaveLength(1);
    expect((await keys.findByPrefix(reads[0]!))?.lastUsedAt).toEqual(clock.now());
  });

  it('refuses a missing, malformed, wrong or revoked key (401), another app (404) and a disabled tenant (403)', async () => {
    const { auth, key, keys, tenants } = await given();
    await expect(auth.execute(undefined, 'app-1')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(auth.execute('not-a-key', 'app-1')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(auth.execute(`${key.slice(0, -1)}y`, 'app-1')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(auth.execute(key, 'app-2')).rejects.toBeInstanceOf(NotFoundError);
    await tenants.setDisabled('t1', clock.now());
    await expect(auth.execute(key, 'app-1')).rejects.toBeInstanceOf(TenantDisabledError);
    await keys.revoke('app-1', 'k1', clock.now());
    await expect(auth.execute(key, 'app-1')).rejects.toBeInstanceOf(AuthenticationError);
  });
});
