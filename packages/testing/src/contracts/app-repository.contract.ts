import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ApiKey, ApiKeyRepository, App, AppInstallationRepository, AppRepository } from '@pushline/domain';

export interface AppRepositoriesUnderTest {
  readonly apps: AppRepository;
  readonly keys: ApiKeyRepository;
  readonly installations: AppInstallationRepository;
  teardown?(): Promise<void>;
}

/** An app value in a fresh tenant with a fresh slug, unless a test names them. */
export function anApp(overrides: Partial<App> = {}): App {
  return { id: randomUUID(), tenantId: randomUUID(), name: 'Work Buddy', slug: `app${randomUUID().slice(0, 8).replace(/-/g, '')}`, createdAt: new Date(), ...overrides };
}

/** A key of `app` with a fresh id and prefix, unless a test names them. */
export function aKey(app: App, overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: randomUUID(),
    tenantId: app.tenantId,
    appId: app.id,
    prefix: randomUUID().replace(/-/g, '').slice(0, 12),
    keyHash: randomUUID(),
    scopes: ['events:publish', 'events:read'],
    createdAt: new Date('2026-05-01T09:00:00.001Z'),
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/**
 * The behaviour every adapter of the app ports (apps, API keys, installations) must show, tenant
 * isolation included. Each test uses fresh tenants and ids, so an adapter may share one database.
 */
export function describeAppRepositoriesContract(name: string, setup: () => AppRepositoriesUnderTest | Promise<AppRepositoriesUnderTest>): void {
  describe(`${name} (AppRepository, ApiKeyRepository, AppInstallationRepository contract)`, () => {
    let subject: AppRepositoriesUnderTest;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('stores an app and finds it, to the millisecond; a slug is unique within its tenant only', async () => {
      const app = anApp({ createdAt: new Date('2026-05-01T09:00:00.789Z') });
      await expect(subject.apps.create(app)).resolves.toBe(true);
      await expect(subject.apps.findById(app.id)).resolves.toEqual(app);

      await expect(subject.apps.create(anApp({ tenantId: app.tenantId, slug: app.slug }))).resolves.toBe(false);
      const elsewhere = anApp({ slug: app.slug });
      await expect(subject.apps.create(elsewhere)).resolves.toBe(true);
      await expect(subject.apps.findById(randomUUID())).resolves.toBeNull();
    });

    it("lists a tenant's apps oldest first, page by page, never another tenant's", async () => {
      const tenantId = randomUUID();
      const at = (ms: number) => new Date(Date.parse('2026-05-01T09:00:00.000Z') + ms);
      const mine = [anApp({ tenantId, createdAt: at(0) }), anApp({ tenantId, createdAt: at(5) }), anApp({ tenantId, createdAt: at(9) })];
      for (const app of [mine[2]!, mine[0]!, mine[1]!]) await subject.apps.create(app);
      await subject.apps.create(anApp({ createdAt: at(1) }));

      const first = await subject.apps.listByTenant(tenantId, { limit: 2 });
      expect(first.items).toEqual(mine.slice(0, 2));
      expect(first.nextCursor).not.toBeNull();
      const second = await subject.apps.listByTenant(tenantId, { limit: 2, after: first.nextCursor! });
      expect(second).toEqual({ items: [mine[2]], nextCursor: null });
      await expect(subject.apps.listByTenant(randomUUID(), { limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
    });

    it('stores a key and finds it by its prefix; revokes it only through its own app', async () => {
      const app = anApp();
      const key = aKey(app);
      await subject.keys.save(key);
      await expect(subject.keys.findByPrefix(key.prefix)).resolves.toEqual(key);
      await expect(subject.keys.findByPrefix('unknownprefix')).resolves.toBeNull();

      const at = new Date('2026-05-02T10:00:00.000Z');
      await expect(subject.keys.revoke(randomUUID(), key.id, at)).resolves.toBe(false);
      await expect(subject.keys.findByPrefix(key.prefix)).resolves.toMatchObject({ revokedAt: null });
      await expect(subject.keys.revoke(app.id, key.id, at)).resolves.toBe(true);
      await expect(subject.keys.findByPrefix(key.prefix)).resolves.toMatchObject({ revokedAt: at });
      await expect(subject.keys.revoke(app.id, randomUUID(), at)).resolves.toBe(false);
    });

    it('records when a key was last used, at most once a minute', async () => {
      const key = aKey(anApp());
      await subject.keys.save(key);
      const t0 = new Date('2026-05-02T10:00:00.000Z');

      await subject.keys.touch(key.id, t0);
      await subject.keys.touch(key.id, new Date(t0.getTime() + 30_000));
      await expect(subject.keys.findByPrefix(key.prefix)).resolves.toMatchObject({ lastUsedAt: t0 });
      const later = new Date(t0.getTime() + 61_000);
      await subject.keys.touch(key.id, later);
      await expect(subject.keys.findByPrefix(key.prefix)).resolves.toMatchObject({ lastUsedAt: later });
    });

    it('installs once, uninstalls once, and answers who installed the app', async () => {
      const app = anApp();
      const [u1, u2, u3] = [randomUUID(), randomUUID(), randomUUID()];
      const install = (userId: string) => subject.installations.install({ tenantId: app.tenantId, appId: app.id, userId, createdAt: new Date() });
      await install(u1);
      await install(u1);
      await install(u2);

      await expect(subject.installations.installedAmong(app.tenantId, app.id, [u1, u3])).resolves.toEqual(new Set([u1]));
      await expect(subject.installations.installedUsers(app.tenantId, app.id)).resolves.toEqual([u1, u2].sort());
      await expect(subject.installations.uninstall(app.id, u1)).resolves.toBe(true);
      await expect(subject.installations.uninstall(app.id, u1)).resolves.toBe(false);
      await expect(subject.installations.installedUsers(app.tenantId, app.id)).resolves.toEqual([u2]);
      await expect(subject.installations.installedAmong(app.tenantId, randomUUID(), [u2])).resolves.toEqual(new Set());
    });

    it("never counts an installation for another tenant's query", async () => {
      const app = anApp();
      const userId = randomUUID();
      await subject.installations.install({ tenantId: app.tenantId, appId: app.id, userId, createdAt: new Date() });
      const otherTenant = randomUUID();

      await expect(subject.installations.installedAmong(otherTenant, app.id, [userId])).resolves.toEqual(new Set());
      await expect(subject.installations.installedUsers(otherTenant, app.id)).resolves.toEqual([]);
    });
  });
}
