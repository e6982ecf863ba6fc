/**
 * Idempotency keys, inside the unit of work of the request they guard. `claim` inserts the key or,
 * when a concurrent request holds it uncommitted, waits for that transaction: a retry that arrives
 * while the first is running gets the first one's answer once it commits.
 */
export interface IdempotencyStore {
  /**
   * `new`: this request owns the key. `stored`: a committed earlier request had it (compare the hash).
   * `tenantId` is the caller's tenant, stored with the key (the scope names the caller within it).
   */
  claim(scope: string, key: string, requestHash: string, at: Date, tenantId: string): Promise<{ readonly state: 'new' } | { readonly state: 'stored'; readonly requestHash: string; readonly response: unknown }>;
  /** The answer to replay for the key; written in the same transaction as the work. */
  complete(scope: string, key: string, response: unknown): Promise<void>;
}
