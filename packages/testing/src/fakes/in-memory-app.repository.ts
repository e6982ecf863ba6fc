import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  oldestFirst,
  type ApiKey,
  type ApiKeyRepository,
  type App,
  type AppInstallationRepository,
  type AppRepository,
  type Page,
} from '@pushline/domain';

export class InMemoryAppRepository implements AppRepository {
  private readonly apps = new Map<string, App>();

  async create(app: App): Promise<boolean> {
    if (this.apps.has(app.id) || [...this.apps.values()].some((a) => a.tenantId === app.tenantId && a.slug === app.slug)) return false;
    this.apps.set(app.id, app);
    return true;
  }

  async findById(id: string): Promise<App | null> {
    return this.apps.get(id) ?? null;
  }

  async listByTenant(tenantId: string, { limit, after }: { limit: number; after?: string }): Promise<Page<App>> {
    return oldestFirstPage([...this.apps.values()].filter((a) => a.tenantId === tenantId), limit, after);
  }

}

/** A keyset page in the Prisma adapters' order (oldest first, then id). */
function oldestFirstPage<T extends { readonly id: string; readonly createdAt: Date }>(rows: readonly T[], limit: number, after?: string): Page<T> {
  const cursor = after ? decodeKeysetCursor(after) : null;
  const sorted = rows.filter((row) => !cursor || oldestFirst(row, cursor) > 0).sort(oldestFirst);
  const page = sorted.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: sorted.length > limit && last ? encodeKeysetCursor(last) : null };
}

/** Like the Prisma adapter, `touch` writes at most once a minute per key. */
const TOUCH_EVERY_MS = 60_000;

export class InMemoryApiKeyRepository implements ApiKeyRepository {
  private readonly keys = new Map<string, ApiKey>();

  async save(key: ApiKey): Promise<void> {
    if ([...this.keys.values()].some((k) => k.id === key.id || k.prefix === key.prefix)) throw new Error(`API key ${key.id} (prefix ${key.prefix}) exists`);
    this.keys.set(key.id, key);
  }

  async findByPrefix(prefix: string): Promise<ApiKey | null> {
    return [...this.keys.values()].find((k) => k.prefix === prefix) ?? null;
  }

  async listByApp(tenantId: string, appId: string, { limit, after }: { limit: number; after?: string }): Promise<Page<ApiKey>> {
    return oldestFirstPage([...this.keys.values()].filter((k) => k.tenantId === tenantId && k.appId === appId), limit, after);
  }

  async revoke(appId: string, keyId: string, at: Date): Promise<boolean> {
    const key = this.keys.get(keyId);
    if (!key || key.appId !== appId) return false;
    this.keys.set(keyId, { ...key, revokedAt: at });
    return true;
  }

  async touch(keyId: string, at: Date): Promise<void> {
    const key = this.keys.get(keyId);
    if (key && (key.lastUsedAt === null || key.lastUsedAt.getTime() < at.getTime() - TOUCH_EVERY_MS)) this.keys.set(keyId, { ...key, lastUsedAt: at });
  }
}

interface Installation {
  readonly tenantId: string;
  readonly appId: string;
  readonly userId: string;
  readonly createdAt: Date;
}

export class InMemoryAppInstallationRepository implements AppInstallationRepository {
  /** Keyed by app and user, as the table's primary key. */
  private readonly installations = new Map<string, Installation>();

  async install(installation: Installation): Promise<void> {
    const key = `${installation.appId}\u0000${installation.userId}`;
    if (!this.installations.has(key)) this.installations.set(key, installation);
  }

  async uninstall(appId: string, userId: string): Promise<boolean> {
    return this.installations.delete(`${appId}\u0000${userId}`);
  }

  async installedAmong(tenantId: string, appId: string, userIds: readonly string[]): Promise<ReadonlySet<string>> {
    const wanted = new Set(userIds);
    return new Set(this.of(tenantId, appId).filter((userId) => wanted.has(userId)));
  }

  async installedUsers(tenantId: string, appId: string): Promise<readonly string[]> {
    return this.of(tenantId, appId).sort();
  }

  private of(tenantId: string, appId: string): string[] {
    return [...this.installations.values()].filter((i) => i.tenantId === tenantId && i.appId === appId).map((i) => i.userId);
  }
}
