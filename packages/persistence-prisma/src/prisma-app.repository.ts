import type { ApiKey, ApiKeyRepository, App, AppInstallationRepository, AppRepository, AppScope, Page } from '@pushline/domain';
import { hotSqlOf } from './hot-sql.js';
import { afterCursor, OLDEST_FIRST, toPage } from './keyset-page.js';
import type { PrismaExecutor } from './prisma-executor.js';

/*
 * Every request of an app (a publish, a rule change) reads its key, its app and the installations of
 * the users it names: raw SQL (prepared on PostgreSQL), not Prisma's client, whose query compiler was
 * a quarter of an app publish's CPU (docs/benchmarks.md §11). The rest stays on the typed client.
 */

export class PrismaAppRepository implements AppRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async create(app: App): Promise<boolean> {
    const { count } = await this.db.app.createMany({ data: [app], skipDuplicates: true });
    return count === 1;
  }

  async findById(id: string): Promise<App | null> {
    const [row] = await hotSqlOf(this.db).query<{ id: string; tenant_id: string; name: string; slug: string; created_at: Date }>(
      'SELECT id, tenant_id, name, slug, created_at FROM apps WHERE id = $1',
      [id],
    );
    return row ? { id: row.id, tenantId: row.tenant_id, name: row.name, slug: row.slug, createdAt: row.created_at } : null;
  }

  async listByTenant(tenantId: string, { limit, after }: { limit: number; after?: string }): Promise<Page<App>> {
    const rows = await this.db.app.findMany({ where: { tenantId, ...afterCursor(after) }, orderBy: OLDEST_FIRST, take: limit + 1 });
    return toPage(rows, limit, (row) => row);
  }
}

/** `lastUsedAt` is written at most once a minute per key: a busy key must not turn every read into a write. */
const TOUCH_EVERY_MS = 60_000;
/** Keys whose last touch this process remembers; past it the memory starts over (a few extra touches). */
const TOUCHES_REMEMBERED = 10_000;

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  app_id: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export class PrismaApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: PrismaExecutor) {}

  async save(key: ApiKey): Promise<void> {
    await this.db.apiKey.create({ data: { ...key, scopes: [...key.scopes] } });
  }

  /** When this process last wrote each key's `lastUsedAt`: within the minute it skips the statement. */
  private readonly touchedAt = new Map<string, number>();

  async findByPrefix(prefix: string): Promise<ApiKey | null> {
    const [row] = await hotSqlOf(this.db).query<ApiKeyRow>(
      'SELECT id, tenant_id, app_id, prefix, key_hash, scopes, created_at, last_used_at, revoked_at FROM api_keys WHERE prefix = $1',
      [prefix],
    );
    return row
      ? {
          id: row.id,
          tenantId: row.tenant_id,
          appId: row.app_id,
          prefix: row.prefix,
          keyHash: row.key_hash,
          scopes: row.scopes as AppScope[],
          createdAt: row.created_at,
          lastUsedAt: row.last_used_at,
          revokedAt: row.revoked_at,
        }
      : null;
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
    const last = this.touchedAt.get(keyId);
    if (last !== undefined && at.getTime() - last < TOUCH_EVERY_MS && at.getTime() >= last) return;
    if (this.touchedAt.size >= TOUCHES_REMEMBERED) this.touchedAt.clear();
    this.touchedAt.set(keyId, at.getTime());
    // The condition still holds across instances: another one may have touched the key just now.
    await hotSqlOf(this.db).query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)', [
      keyId,
      at,
      new Date(at.getTime() - TOUCH_EVERY_MS),
    ]);
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
    // One primary-key lookup per named user, whatever the planner knows: as `user_id = ANY($3)` beside
    // `app_id = $1`, a table without fresh statistics was read through every installation of the app
    // (1,000 rows fetched for 20 users in the bench, docs/benchmarks.md §12).
    const rows = await hotSqlOf(this.db).query<{ user_id: string }>(
      'SELECT ai.user_id FROM unnest($3::text[]) AS u(user_id) JOIN app_installations ai ON ai.app_id = $1 AND ai.user_id = u.user_id WHERE ai.tenant_id = $2',
      [appId, tenantId, [...userIds]],
    );
    return new Set(rows.map((r) => r.user_id));
  }

  async installedUsers(tenantId: string, appId: string): Promise<readonly string[]> {
    const rows = await this.db.appInstallation.findMany({ where: { tenantId, appId }, select: { userId: true }, orderBy: { userId: 'asc' } });
    return rows.map((r) => r.userId);
  }
}
