import type { Page, Tenant, TenantRepository } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf, isRootClient } from './hot-sql.js';
import { afterCursor, OLDEST_FIRST, toPage } from './keyset-page.js';
import type { PrismaExecutor } from './prisma-executor.js';

/** A tenant with many users takes a while to remove; the whole removal is still one transaction. */
const DELETE_TIMEOUT_MS = 120_000;

export class PrismaTenantRepository implements TenantRepository {
  /** A client (not a transaction) so `deleteWithData` can open its own transaction. */
  constructor(private readonly db: PrismaClient) {
    // Every authenticated request reads its tenant (disabled?): batched like the user read beside it.
    this.byId = isRootClient(db)
      ? new BatchedLookup(async (ids) => {
          const rows = await hotSqlOf(db).query<{ id: string; name: string; created_at: Date; disabled_at: Date | null }>(
            'SELECT id, name, created_at, disabled_at FROM tenants WHERE id = ANY($1::text[])',
            [ids],
          );
          return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, createdAt: r.created_at, disabledAt: r.disabled_at }]));
        }, null, 4)
      : null;
  }

  private readonly byId: BatchedLookup<string, Tenant | null> | null;

  async save(tenant: Tenant): Promise<void> {
    await this.db.tenant.createMany({ data: [tenant], skipDuplicates: true });
  }

  async findById(id: string): Promise<Tenant | null> {
    if (this.byId) return this.byId.get(id);
    return this.db.tenant.findUnique({ where: { id } });
  }

  async list({ limit, after }: { limit: number; after?: string }): Promise<Page<Tenant>> {
    const rows = await this.db.tenant.findMany({ where: afterCursor(after), orderBy: OLDEST_FIRST, take: limit + 1 });
    return toPage(rows, limit, (row) => row);
  }

  async setDisabled(id: string, disabledAt: Date | null): Promise<Tenant | null> {
    const { count } = await this.db.tenant.updateMany({ where: { id }, data: { disabledAt } });
    return count === 0 ? null : this.findById(id);
  }

  async deleteWithData(id: string): Promise<readonly string[] | null> {
    return this.db.$transaction((tx) => deleteTenantRows(tx, id), { timeout: DELETE_TIMEOUT_MS });
  }
}

/**
 * Every row the tenant owns, children first. The tenant's row is locked first, so two deletions of one
 * tenant run one after the other; per-user tables are reached through the tenant's users (subqueries,
 * never an id list in the statement, however many users there are).
 */
async function deleteTenantRows(tx: PrismaExecutor, tenantId: string): Promise<readonly string[] | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
  if (locked.length === 0) return null;
  const users = await tx.user.findMany({ where: { tenantId }, select: { id: true }, orderBy: { id: 'asc' } });
  const apps = await tx.app.findMany({ where: { tenantId }, select: { id: true } });
  const ofUsers = (table: string) => tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE user_id IN (SELECT id FROM users WHERE tenant_id = $1)`, tenantId);

  // Apps: webhook subscriptions (their deliveries, attempts and status events cascade), keys, installations, types.
  if (apps.length > 0) {
    const appIds = apps.map((a) => a.id);
    await tx.webhookSubscription.deleteMany({ where: { owner: { in: appIds } } });
  }
  await tx.webhookSubscription.deleteMany({ where: { tenantId } });
  await tx.idempotencyKey.deleteMany({ where: { tenantId } });
  await tx.apiKey.deleteMany({ where: { tenantId } });
  await tx.appInstallation.deleteMany({ where: { tenantId } });
  await tx.appEventType.deleteMany({ where: { tenantId } });
  await tx.appNotificationRule.deleteMany({ where: { tenantId } });
  await tx.app.deleteMany({ where: { tenantId } });

  // Events: handler jobs still to run for them, the archive, and every user's stream.
  await tx.$executeRaw`DELETE FROM event_handler_jobs j USING events e WHERE e.id = j.event_id AND e.tenant_id = ${tenantId}`;
  await tx.event.deleteMany({ where: { tenantId } });
  // The outbox rows first: they have no foreign key to cascade from (decision 61).
  await tx.$executeRaw`
    DELETE FROM stream_outbox o USING stream_events e
    WHERE o.seq = e.seq AND (e.tenant_id = ${tenantId} OR e.user_id IN (SELECT id FROM users WHERE tenant_id = ${tenantId}))`;
  await tx.streamEvent.deleteMany({ where: { tenantId } });
  await tx.tenantStreamEvent.deleteMany({ where: { tenantId } });
  await tx.tenantStream.deleteMany({ where: { tenantId } });
  for (const table of ['notifications', 'stream_events', 'user_streams', 'audit_log']) await ofUsers(table);
  await tx.notificationCounter.deleteMany({ where: { tenantId } });
  await tx.notificationPreference.deleteMany({ where: { tenantId } });
  await tx.loginSession.deleteMany({ where: { tenantId } });
  await tx.auditLogEntry.deleteMany({ where: { tenantId } });

  await tx.channelDelivery.deleteMany({ where: { tenantId } });
  await tx.notification.deleteMany({ where: { tenantId } });
  await tx.user.deleteMany({ where: { tenantId } });
  await tx.tenant.delete({ where: { id: tenantId } });
  return users.map((u) => u.id);
}
