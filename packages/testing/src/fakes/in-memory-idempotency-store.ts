import { idempotencyKeyOfAnotherTenant, type IdempotencyStore } from '@pushline/domain';

interface StoredKey {
  readonly tenantId: string;
  readonly requestHash: string;
  readonly response: unknown;
}

/**
 * Committed idempotency keys; `InMemoryUnitOfWork` stages claims and applies them on commit. Keyed by
 * (scope, key) as in the database, and seen only by the tenant that holds them.
 */
export class InMemoryIdempotencyStore {
  readonly committed = new Map<string, StoredKey>();

  /** A store for one unit of work: it sees committed keys and its own staged ones. */
  staged(): IdempotencyStore & { apply(): void } {
    const staged = new Map<string, StoredKey>();
    const id = (scope: string, key: string): string => `${scope}\u0000${key}`;
    return {
      claim: async (scope, key, requestHash, _at, tenantId) => {
        const found = this.committed.get(id(scope, key)) ?? staged.get(id(scope, key));
        if (found && found.tenantId !== tenantId) throw idempotencyKeyOfAnotherTenant();
        if (found) return { state: 'stored', requestHash: found.requestHash, response: found.response };
        staged.set(id(scope, key), { tenantId, requestHash, response: null });
        return { state: 'new' };
      },
      complete: async (scope, key, response, tenantId) => {
        const found = staged.get(id(scope, key));
        if (!found || found.tenantId !== tenantId) throw new Error(`idempotency key ${key} was not claimed in tenant ${tenantId}`);
        staged.set(id(scope, key), { ...found, response });
      },
      apply: () => {
        for (const [k, v] of staged) this.committed.set(k, v);
      },
    };
  }
}
