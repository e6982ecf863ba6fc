import type { ApiKey, ApiKeyRepository, App, AppInstallationRepository, AppRepository, AppScope, Page } from '@pushline/domain';
import { afterCursor, OLDEST_FIRST, toPage } from './keyset-page.js';
import type { PrismaExecutor } from './prisma-executor.js';

export class PrismaAppRepository implements AppRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async create(app: App): Promise<boolean> {
    const { count } = await this.db.app.createMany({ data: [app], skipDuplicates: true });
    return count === 1;
  }

  async findById(id: string): Promise<App | null> {
    return this.db.app.findUnique({ where: { id } });
  }

  async listByTenant(tenantId: string, { limit, after }: { limit: number; after?: string }): Promise<Page<App>> {
    const rows = await this.db.app.findMany({ where: { tenantId, ...afterCursor(after) }, orderBy: OLDEST_FIRST, take: limit + 1 });
    return toPage(rows, limit, (row) => row);
  }
}

/** `lastUsedAt` is written at most once a minute per key: a busy key must not turn every read into a write. */
const TOUCH_EVERY_MS = 60_000;

export class PrismaApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async save(key: ApiKey): Promise<void> {
    await this.db.apiKey.create({ data: { ...key, scopes: [...key.scopes] } });
  }

  async findByPrefix(prefix: string): Promise<ApiKey | null> {
    const row = await this.db.apiKey.findUnique({ where: { prefix } });
    return row && { ...row, scopes: row.scopes as AppScope[] };
  }

  async listByApp(tenantId: string, appId: string, { limit, after }: { limit: number; after?: string }): Promise<Page<ApiKey>> {
    const rows = await this.db.apiKey.findMany({ where: { tenantId, appId, ...afterCursor(after) }, orderBy: OLDEST_FIRST, take: limit + 1 });
    return toPage(rows, limit, (row) => ({ ...row, scopes: row.scopes as AppScope[] }));
  }

  async revoke(appId: string, keyId: string, at: Date): Promise<boolean> {
    const { count } = await this.db.apiKey.updateMany({ where: { id: keyId, appId }, data: { revokedAt: at } });
    return count > 0;
  }

  async touch(keyId: string, at: Date): Promise<void> {
    await this.db.apiKey.updateMany({
      where: { id: keyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(at.getTime() - TOUCH_EVERY_MS) } }] },
      data: { lastUsedAt: at },
    });
  }
}

export class PrismaAppInstallationRepository implements AppInstallationRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async install(installation: { tenantId: string; appId: string; userId: string; createdAt: Date }): Promise<void> {
    await this.db.appInstallation.createMany({ data: [installation], skipDuplicates: true });
  }

  async uninstall(appId: string, userId: string): Promise<boolean> {
    const { count } = await this.db.appInstallation.deleteMany({ where: { appId, userId } });
    return count > 0;
  }

  async installedAmong(tenantId: string, appId: string, userIds: readonly string[]): Promise<ReadonlySet<string>> {
    const rows = await this.db.appInstallation.findMany({ where: { tenantId, appId, userId: { in: [...userIds] } }, select: { userId: true } });
    return new Set(rows.map((r) => r.userId));
  }

  async installedUsers(tenantId: string, appId: string): Promise<readonly string[]> {
    const rows = await this.db.appInstallation.findMany({ where: { tenantId, appId }, select: { userId: true }, orderBy: { userId: 'asc' } });
    return rows.map((r) => r.userId);
  }
}
