import type { Page, User, UserRepository } from '@pushline/domain';
import type { PrismaClient, User as UserRow } from './generated/prisma/client.js';
import { afterCursor, OLDEST_FIRST, toPage } from './keyset-page.js';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf, isRootClient } from './hot-sql.js';
import type { PrismaExecutor } from './prisma-executor.js';

interface UserRowSql {
  id: string;
  tenant_id: string;
  email: string;
  password_hash: string | null;
  external_id: string | null;
  disabled_at: Date | null;
  created_at: Date;
}

export class PrismaUserRepository implements UserRepository {
  /** A client (not a transaction) so `deleteWithData` can open its own transaction. */
  constructor(private readonly db: PrismaClient) {
    // Every authenticated request reads its user (disabled? still in the token's tenant?): batched.
    this.byId = isRootClient(db)
      ? new BatchedLookup(async (ids) => {
          const rows = await hotSqlOf(db).query<UserRowSql>(
            'SELECT id, tenant_id, email, password_hash, external_id, disabled_at, created_at FROM users WHERE id = ANY($1::text[])',
            [ids],
          );
          return new Map(rows.map((r) => [r.id, { id: r.id, tenantId: r.tenant_id, email: r.email, passwordHash: r.password_hash, externalId: r.external_id, disabledAt: r.disabled_at, createdAt: r.created_at }]));
        }, null, 4)
      : null;
  }

  private readonly byId: BatchedLookup<string, User | null> | null;

  async findById(id: string): Promise<User | null> {
    if (this.byId) return this.byId.get(id);
    const row = await this.db.user.findUnique({ where: { id } });
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.db.user.findUnique({ where: { email } });
    return row && toUser(row);
  }

  async findByExternalId(tenantId: string, externalId: string): Promise<User | null> {
    const row = await this.db.user.findUnique({ where: { tenantId_externalId: { tenantId, externalId } } });
    return row && toUser(row);
  }

  async upsertByEmail(user: User): Promise<User> {
    // ON CONFLICT DO NOTHING, then read: two concurrent sign-ups with one email both get the winner,
    // where a find-then-create would let the loser fail on the unique index.
    await this.db.user.createMany({ data: [user], skipDuplicates: true });
    const stored = (await this.findByEmail(user.email)) ?? (user.externalId !== null ? await this.findByExternalId(user.tenantId, user.externalId) : null);
    if (!stored) throw new Error(`user id ${user.id} is taken by another email`);
    return stored;
  }

  async listByTenant(tenantId: string, { limit, after }: { limit: number; after?: string }): Promise<Page<User>> {
    const rows = await this.db.user.findMany({ where: { tenantId, ...afterCursor(after) }, orderBy: OLDEST_FIRST, take: limit + 1 });
    return toPage(rows, limit, toUser);
  }

  async setDisabled(id: string, disabledAt: Date | null): Promise<User | null> {
    const { count } = await this.db.user.updateMany({ where: { id }, data: { disabledAt } });
    return count === 0 ? null : this.findById(id);
  }

  async deleteWithData(id: string): Promise<boolean> {
    return this.db.$transaction(async (tx) => deleteUserRows(tx, id));
  }
}

/** Every row of the user, children first (sessions and preferences cascade); one transaction so a failure leaves the user whole. */
async function deleteUserRows(tx: PrismaExecutor, userId: string): Promise<boolean> {
  await tx.notification.deleteMany({ where: { userId } });
  await tx.channelDelivery.deleteMany({ where: { userId } });
  // The outbox rows first: they have no foreign key to cascade from (decision 61).
  await tx.$executeRaw`DELETE FROM stream_outbox o USING stream_events e WHERE o.seq = e.seq AND e.user_id = ${userId}`;
  await tx.streamEvent.deleteMany({ where: { userId } });
  await tx.userStream.deleteMany({ where: { userId } });
  await tx.notificationCounter.deleteMany({ where: { userId } });
  await tx.auditLogEntry.deleteMany({ where: { userId } });
  await tx.appInstallation.deleteMany({ where: { userId } });
  const { count } = await tx.user.deleteMany({ where: { id: userId } });
  return count > 0;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenantId,
    email: row.email,
    passwordHash: row.passwordHash,
    externalId: row.externalId,
    disabledAt: row.disabledAt,
    createdAt: row.createdAt,
  };
}
