import type { Tenant } from './tenant.js';

/** One page of a keyset-paginated list; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Tenants, for the operator's admin API. */
export interface TenantRepository {
  /** Inserts the tenant, or does nothing when its id exists (seeding is idempotent). */
  save(tenant: Tenant): Promise<void>;
  findById(id: string): Promise<Tenant | null>;
  /** Oldest first; `after` is a `nextCursor` of an earlier page. */
  list(query: { readonly limit: number; readonly after?: string }): Promise<Page<Tenant>>;
  /** Sets or clears `disabledAt`; the updated tenant, or null when there is no such tenant. */
  setDisabled(id: string, disabledAt: Date | null): Promise<Tenant | null>;
  /**
   * Removes the tenant and everything it owns, all or nothing: its users and their data, apps, API keys,
   * installations, event types, webhook subscriptions, idempotency keys and archived events. Returns the
   * ids of the users removed (the caller closes their streams), or null when there is no such tenant.
   */
  deleteWithData(id: string): Promise<readonly string[] | null>;
}
