import type { Page } from '../tenant/tenant.repository.port.js';
import type { User } from './user.js';

export interface UserRepository {
  findById(id: string): Promise<User | null>;
  /** `email` must already be normalized. */
  findByEmail(email: string): Promise<User | null>;
  /** The user an external issuer's token names (tenant + user claim), if provisioned before. */
  findByExternalId(tenantId: string, externalId: string): Promise<User | null>;
  /**
   * Inserts the user, or does nothing when the email (or the tenant's external id) is taken. Returns
   * the stored user: a different id than the one given means someone else holds that email.
   */
  upsertByEmail(user: User): Promise<User>;
  /** The tenant's users, oldest first; `after` is a `nextCursor` of an earlier page. */
  listByTenant(tenantId: string, query: { readonly limit: number; readonly after?: string }): Promise<Page<User>>;
  /** Sets or clears `disabledAt`; returns the updated user, or null when there is no such user. */
  setDisabled(id: string, disabledAt: Date | null): Promise<User | null>;
  /** Removes the user and everything stored for them (notifications, stream, installations). */
  deleteWithData(id: string): Promise<boolean>;
}
