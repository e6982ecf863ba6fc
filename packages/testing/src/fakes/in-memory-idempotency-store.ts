import type { IdempotencyStore } from '@pushline/domain';

interface StoredKey {
  readonly requestHash: string;
  readonly response: unknown;
}

/** Committed idempotency keys; `InMemoryUnitOfWork` stages claims and applies them on commit. */
export class InMemoryIdempotencyStore {
  readonly committed = new Map<string, StoredKey>();

  /** A store for one unit of work: it sees committed keys and its own staged ones. */
  staged(): IdempotencyStore & { apply(): void } {
    const staged = new Map<string, StoredKey>();
    const id = (scope: string, key: string): string => `${scope}\u0000${key}`;
    return {
      claim: async (scope, key, requestHash) => {
        const found = this.committed.get(id(scope, key)) ?? staged.get(id(scope, key));
        if (found) return { state: 'stored', requestHash: found.requestHash, response: found.response };
        staged.set(id(scope, key), { requestHash, response: null });
        return { state: 'new' };
      },
      complete: async (scope, key, response) => {
        const found = staged.get(id(scope, key));
        if (found) staged.set(id(scope, key), { ...found, response });
      },
      apply: () => {
        for (const [k, v] of staged) this.committed.set(k, v);
      },
    };
  }
}
