import { ConflictError, type TransactionScope } from '@pushline/domain';

/** An `Idempotency-Key` and the hash of the request it came with (method, route and body). */
export interface IdempotencyInput {
  readonly key: string;
  readonly requestHash: string;
}

/**
 * Runs `work` once per key, inside the caller's transaction: the key and the work commit together.
 * The same key with the same request replays the first answer; with another request, 409.
 */
export async function idempotently<T>(
  tx: TransactionScope,
  scope: string,
  /** The caller's tenant (from its credentials), stored with the key. */
  tenantId: string,
  input: IdempotencyInput | undefined,
  at: Date,
  work: () => Promise<T>,
  /** Turns the stored answer back into a `T` (e.g. reloads what it names); the default takes it as it is. */
  revive: (stored: unknown) => Promise<T> = async (stored) => stored as T,
  /** What to store for the answer (it must be JSON); the default stores `T` itself. */
  store: (value: T) => unknown = (value) => value,
): Promise<T> {
  if (!input) return work();
  const claim = await tx.idempotency.claim(scope, input.key, input.requestHash, at, tenantId);
  if (claim.state === 'stored') {
    if (claim.requestHash !== input.requestHash) {
      throw new ConflictError('this Idempotency-Key was used with another request', { code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    }
    return revive(claim.response);
  }
  const value = await work();
  await tx.idempotency.complete(scope, input.key, store(value), tenantId);
  return value;
}
