import type { NotificationCounter, NotificationCounts, NotificationOwner } from '@pushline/domain';
import { inboxCountsSql as countsSql } from './prisma-notification-queries.js';
import type { PrismaExecutor } from './prisma-executor.js';

interface CountsRow {
  version: bigint;
  unseen: bigint;
  unread: bigint;
}

/**
 * The badge's counter on `notification_counters`. `lock` is an upsert that leaves the row as it is
 * but holds its lock until commit (like the stream cursor's row), so a second change of the same
 * user waits, and then counts what the first committed.
 */
export class PrismaNotificationCounter implements NotificationCounter {
  constructor(private readonly db: PrismaExecutor) {}

  async lock(userId: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO notification_counters (user_id, tenant_id, version) SELECT ${userId}, (SELECT tenant_id FROM users WHERE id = ${userId}), 0
      ON CONFLICT (user_id) DO UPDATE SET version = notification_counters.version`;
  }

  async advance(owner: NotificationOwner): Promise<NotificationCounts> {
    const { tenantId, userId } = owner;
    // One statement: the counts see this transaction's own writes, and the version is the one it set.
    const [row] = await this.db.$queryRaw<CountsRow[]>`
      WITH bumped AS (
        INSERT INTO notification_counters (user_id, tenant_id, version) VALUES (${userId}, ${tenantId}, 1)
        ON CONFLICT (user_id) DO UPDATE SET version = notification_counters.version + 1
        RETURNING version
      )
      SELECT bumped.version, c.unseen, c.unread FROM bumped, (${countsSql(owner)}) AS c`;
    return toCounts(row);
  }

  async current(owner: NotificationOwner): Promise<NotificationCounts> {
    const { tenantId, userId } = owner;
    // One statement, so the version and the counts come from one snapshot.
    const [row] = await this.db.$queryRaw<CountsRow[]>`
      SELECT COALESCE((SELECT version FROM notification_counters WHERE user_id = ${userId} AND tenant_id = ${tenantId}), 0) AS version, c.unseen, c.unread
      FROM (${countsSql(owner)}) AS c`;
    return toCounts(row);
  }
}

function toCounts(row: CountsRow | undefined): NotificationCounts {
  if (!row) throw new Error('notification counts query returned no row');
  return { version: Number(row.version), unseen: Number(row.unseen), unread: Number(row.unread) };
}
