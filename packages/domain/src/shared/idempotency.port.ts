import { ConflictError } from './errors.js';

/**
 * Idempotency keys, inside the unit of work of the request they guard. `claim` inserts the key or,
 * when a concurrent request holds it uncommitted, waits for that transaction: a retry that arrives
 * while the first is running gets the first one's answer once it commits. A key is read and
 * completed only within the caller's tenant.
 */
export interface IdempotencyStore {
  /**
   * `new`: this request owns the key. `stored`: a committed earlier request of the same tenant had it
   * (compare the hash). `tenantId` is the caller's tenant, stored with the key (the scope names the
   * caller within it). A key another tenant holds fails with `idempotencyKeyOfAnotherTenant()`.
   */
  claim(scope: string, key: string, requestHash: string, at: Date, tenantId: string): Promise<{ readonly state: 'new' } | { readonly state: 'stored'; readonly requestHash: string; readonly response: unknown }>;
  /** The answer to replay for the tenant's key; written in the same transaction as the work. */
  complete(scope: string, key: string, response: unknown, tenantId: string): Promise<void>;
}

/**
 * The scope names one caller of one tenant, so another tenant never holds the same (scope, key); if
 * one did, its answer is not handed out: the key counts as used (409), as it would for another request.
 */
export function idempotencyKeyOfAnotherTenant(): ConflictError {
  return new ConflictError('this Idempotency-Key was used with another request', { code: 'idempotency_key_reused', field: 'Idempotency-Key' });
}
