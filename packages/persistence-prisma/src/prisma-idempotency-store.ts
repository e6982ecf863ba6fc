import { idempotencyKeyOfAnotherTenant, type IdempotencyStore } from '@pushline/domain';
import type { Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * Idempotency keys in the unit of work's transaction. The insert takes the key's unique-index slot:
 * a concurrent request with the same key blocks on it until the first commits (then reads its answer)
 * or rolls back (then owns the key itself). Nothing is held after commit. Reads and the completion
 * name the tenant as well (issue #10): the key stays (scope, key), since a scope is one tenant's caller.
 */
export class PrismaIdempotencyStore implements IdempotencyStore {
  constructor(private readonly tx: PrismaExecutor) {}

  async claim(scope: string, key: string, requestHash: string, at: Date, tenantId: string) {
    const inserted = await this.tx.$queryRaw<{ key: string }[]>`
      INSERT INTO idempotency_keys (scope, key, tenant_id, request_hash, created_at) VALUES (${scope}, ${key}, ${tenantId}, ${requestHash}, ${at})
      ON CONFLICT (scope, key) DO NOTHING RETURNING key`;
    if (inserted.length > 0) return { state: 'new' as const };
    const row = await this.tx.idempotencyKey.findFirst({ where: { scope, key, tenantId } });
    // The slot is taken (the insert did nothing) but not in this tenant: another tenant holds it.
    if (!row) throw idempotencyKeyOfAnotherTenant();
    return { state: 'stored' as const, requestHash: row.requestHash, response: row.response };
  }

  async complete(scope: string, key: string, response: unknown, tenantId: string): Promise<void> {
    const { count } = await this.tx.idempotencyKey.updateMany({ where: { scope, key, tenantId }, data: { response: response as Prisma.InputJsonValue } });
    if (count !== 1) throw new Error(`idempotency key ${key} was not claimed in tenant ${tenantId}`);
  }
}
