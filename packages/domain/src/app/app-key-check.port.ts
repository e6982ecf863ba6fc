import type { Tenant } from '../tenant/tenant.js';
import type { ApiKey, App } from './app.js';

/** What an app's API key is checked against on every request that carries it. */
export interface AppKeyCheckRows {
  /** As `ApiKeyRepository.findByPrefix`. */
  readonly key: ApiKey | null;
  /** As `AppRepository.findById` for the key's app (null without a key). */
  readonly app: App | null;
  /** As `TenantRepository.findById` for that app's tenant (null without an app). */
  readonly tenant: Tenant | null;
}

/**
 * Reads an API key by its public prefix with its app and that app's tenant, each as of a moment after
 * the read was asked for (a revoked key, a disabled tenant committed on any instance is seen by the
 * next request).
 */
export interface AppKeyCheckReader {
  read(prefix: string): Promise<AppKeyCheckRows>;
}
