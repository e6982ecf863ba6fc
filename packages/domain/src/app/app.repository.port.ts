import type { Page } from '../tenant/tenant.repository.port.js';
import type { ApiKey, App } from './app.js';

export interface AppRepository {
  /** Inserts the app; returns false (and stores nothing) when the tenant already has that slug. */
  create(app: App): Promise<boolean>;
  findById(id: string): Promise<App | null>;
  listByTenant(tenantId: string, query: { readonly limit: number; readonly after?: string }): Promise<Page<App>>;
}

export interface ApiKeyRepository {
  save(key: ApiKey): Promise<void>;
  findByPrefix(prefix: string): Promise<ApiKey | null>;
  /** The app's keys, revoked ones included, oldest first; only within `tenantId` (another tenant's app lists nothing). */
  listByApp(tenantId: string, appId: string, query: { readonly limit: number; readonly after?: string }): Promise<Page<ApiKey>>;
  /** Sets `revokedAt` on the app's key; false when the app has no such key. */
  revoke(appId: string, keyId: string, at: Date): Promise<boolean>;
  /** Records use; adapters may skip the write when the stored time is recent (one write per key per minute). */
  touch(keyId: string, at: Date): Promise<void>;
}

export interface AppInstallationRepository {
  /** Idempotent: installing twice keeps the first installation. */
  install(installation: { readonly tenantId: string; readonly appId: string; readonly userId: string; readonly createdAt: Date }): Promise<void>;
  /** False when the user had not installed the app. */
  uninstall(appId: string, userId: string): Promise<boolean>;
  /** Which of `userIds` installed the app (within `tenantId`: users of other tenants never count). */
  installedAmong(tenantId: string, appId: string, userIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Every user of the tenant who installed the app. */
  installedUsers(tenantId: string, appId: string): Promise<readonly string[]>;
}
