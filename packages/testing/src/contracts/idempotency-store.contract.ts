import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { UnitOfWork } from '@pushline/domain';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const OTHER_TENANT = '00000000-0000-4000-8000-0000000000bb';

export interface IdempotencyStoreUnderTest {
  /** The store is reached as a use case reaches it: `scope.idempotency` inside a unit of work. */
  readonly unitOfWork: UnitOfWork;
  teardown?(): Promise<void>;
}

/**
 * The behaviour every IdempotencyStore adapter must show: a key commits with its request's work or
 * not at all, callers (scopes) never share keys, and a concurrent duplicate gets the first answer.
 */
export function describeIdempotencyStoreContract(name: string, setup: () => IdempotencyStoreUnderTest | Promise<IdempotencyStoreUnderTest>): void {
  describe(`${name} (IdempotencyStore contract)`, () => {
    let subject: IdempotencyStoreUnderTest;
    const at = new Date('2026-05-01T09:00:00.000Z');
    const claimAndComplete = (scope: string, key: string, hash: string, response: unknown, tenantId = TENANT) =>
      subject.unitOfWork.run(async (tx) => {
        const claim = await tx.idempotency.claim(scope, key, hash, at, tenantId);
        if (claim.state === 'new') await tx.idempotency.complete(scope, key, response, tenantId);
        return claim;
      });

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.teardown?.();
    });

    it('owns a new key, then hands later requests the stored hash and answer', async () => {
      const [scope, key] = [`app:${randomUUID()}:events`, randomUUID()];
      await expect(claimAndComplete(scope, key, 'hash-1', { id: 'first', recipients: 2 })).resolves.toEqual({ state: 'new' });

      await expect(claimAndComplete(scope, key, 'hash-2', { id: 'second' })).resolves.toEqual({ state: 'stored', requestHash: 'hash-1', response: { id: 'first', recipients: 2 } });
    });

    it('keeps the keys of different scopes apart', async () => {
      const key = randomUUID();
      const [a, b] = [`app:${randomUUID()}:events`, `app:${randomUUID()}:events`];
      await claimAndComplete(a, key, 'hash-a', { id: 'a' });

      await expect(claimAndComplete(b, key, 'hash-b', { id: 'b' })).resolves.toEqual({ state: 'new' });
      await expect(claimAndComplete(a, key, 'hash-a', null)).resolves.toMatchObject({ response: { id: 'a' } });
    });

    it("never hands one tenant's stored answer to another tenant, nor lets it overwrite it", async () => {
      const [scope, key] = [`app:${randomUUID()}:events`, randomUUID()];
      await claimAndComplete(scope, key, 'hash-a', { id: 'a' });

      await expect(claimAndComplete(scope, key, 'hash-a', { id: 'b' }, OTHER_TENANT)).rejects.toMatchObject({ code: 'idempotency_key_reused' });
      await expect(claimAndComplete(scope, key, 'hash-a', null)).resolves.toEqual({ state: 'stored', requestHash: 'hash-a', response: { id: 'a' } });
    });

    it("completes a key only in the tenant that claimed it", async () => {
      const [scope, key] = [`app:${randomUUID()}:events`, randomUUID()];
      const crossed = subject.unitOfWork.run(async (tx) => {
        await tx.idempotency.claim(scope, key, 'hash-a', at, TENANT);
        await tx.idempotency.complete(scope, key, { id: 'b' }, OTHER_TENANT);
      });
      await expect(crossed).rejects.toThrow();

      // The failed unit committed nothing: the key is free again in its own tenant.
      await expect(claimAndComplete(scope, key, 'hash-a', { id: 'a' })).resolves.toEqual({ state: 'new' });
    });

    it('forgets a key whose unit of work rolled back', async () => {
      const [scope, key] = [`app:${randomUUID()}:events`, randomUUID()];
      const failed = subject.unitOfWork.run(async (tx) => {
        await tx.idempotency.claim(scope, key, 'hash-1', at, TENANT);
        throw new Error('the publish failed');
      });
      await expect(failed).rejects.toThrow('the publish failed');

      await expect(claimAndComplete(scope, key, 'hash-2', { id: 'retry' })).resolves.toEqual({ state: 'new' });
    });

    it('gives a concurrent duplicate the answer of the request that committed first', async () => {
      const [scope, key] = [`app:${randomUUID()}:events`, randomUUID()];
      const results = await Promise.all(Array.from({ length: 4 }, (_, i) => claimAndComplete(scope, key, 'same-hash', { id: `request-${i}` })));

      const owner = results.findIndex((r) => r.state === 'new');
      expect(results.filter((r) => r.state === 'new')).toHaveLength(1);
      for (const [i, r] of results.entries()) {
        if (i !== owner) expect(r).toEqual({ state: 'stored', requestHash: 'same-hash', response: { id: `request-${owner}` } });
      }
    });
  });
}
