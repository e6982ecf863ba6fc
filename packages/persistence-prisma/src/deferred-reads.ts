import { Notification, type NotificationRepository } from '@pushline/domain';
import { BatchedLookup } from './batched-lookup.js';
import { hotSqlOf } from './hot-sql.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { INBOX_SQL } from './prisma-notification-queries.js';
import { PrismaNotificationRepository } from './prisma-notification.repository.js';

/** A user's counter row and badge as committed, read in one snapshot (`total`: every notification of the user). */
export interface CounterState {
  readonly version: number;
  /** The badge per tenant of the user's notifications (one entry in practice: a user has one tenant). */
  readonly byTenant: Readonly<Record<string, { readonly unseen: number; readonly unread: number }>>;
  readonly total: number;
}

/** The committed-state reads a deferred unit of work makes before its one statement verifies them. */
export interface DeferredReads {
  readonly notifications: NotificationRepository;
  counter(userId: string): Promise<CounterState>;
  /** The `over` notifications the per-user cap removes first (archived and deleted, then the oldest). */
  overCap(userId: string, over: number): Promise<readonly Notification[]>;
  claim(scope: string, key: string, tenantId: string): Promise<{ readonly requestHash: string; readonly response: unknown } | null>;
  /** The user's row as this process last wrote it: the next unit may start from it (the statement checks it). */
  remember(userId: string, state: CounterState): void;
  /** A unit of the user went stale or failed: its next read goes to the database. */
  forget(userId: string): void;
}

/** Most users whose counter rows one process remembers. */
const REMEMBERED_USERS = 10_000;

interface CounterRow {
  user_id: string;
  version: bigint | number | string;
  by_tenant: Record<string, { unseen: number; unread: number }> | null;
  total: bigint | number | string;
}

const COUNTERS = `
SELECT u.user_id, COALESCE(c.version, 0) AS version, n.by_tenant, n.total
FROM unnest($1::text[]) AS u(user_id)
LEFT JOIN notification_counters c ON c.user_id = u.user_id
CROSS JOIN LATERAL (
  SELECT jsonb_object_agg(t.tenant_id, jsonb_build_object('unseen', t.unseen, 'unread', t.unread)) AS by_tenant, COALESCE(sum(t.total), 0) AS total
  FROM (
    SELECT tenant_id, count(*) FILTER (WHERE seen_at IS NULL AND ${INBOX_SQL.sql}) AS unseen,
           count(*) FILTER (WHERE read_at IS NULL AND ${INBOX_SQL.sql}) AS unread,
           count(*) AS total
    FROM notifications WHERE user_id = u.user_id GROUP BY tenant_id
  ) t
) n`;

/**
 * The reads on PrismaClient (outside any transaction). Concurrent counter reads, one per create under
 * load, are batched into one query (`BatchedLookup`): with group commit, a create costs about two shared
 * round trips in all.
 */
export class PrismaDeferredReads implements DeferredReads {
  readonly notifications: NotificationRepository;
  private readonly counters: BatchedLookup<string, CounterState>;
  /**
   * Counter rows this process wrote last. A unit that starts from one saves the counter read, one of
   * a create's two round trips; if another instance (or the interactive path) changed the user since,
   * the statement's version check fails and the unit runs again from a fresh read. Exact because every
   * change of a user's notifications advances the version (decision 21).
   */
  private readonly known = new Map<string, CounterState>();

  constructor(private readonly prisma: PrismaClient) {
    this.notifications = new PrismaNotificationRepository(prisma);
    this.counters = new BatchedLookup(async (userIds) => {
      const rows = await hotSqlOf(prisma).query<CounterRow>(COUNTERS, [userIds]);
      return new Map(
        rows.map((r) => [r.user_id, { version: Number(r.version), byTenant: r.by_tenant ?? {}, total: Number(r.total) }]),
      );
    }, { version: 0, byTenant: {}, total: 0 }, 4);
  }

  counter(userId: string): Promise<CounterState> {
    const known = this.known.get(userId);
    return known ? Promise.resolve(known) : this.counters.get(userId);
  }

  remember(userId: string, state: CounterState): void {
    this.known.delete(userId);
    this.known.set(userId, state);
    // Oldest first out (a Map iterates in insertion order).
    if (this.known.size > REMEMBERED_USERS) this.known.delete(this.known.keys().next().value!);
  }

  forget(userId: string): void {
    this.known.delete(userId);
  }

  async overCap(userId: string, over: number): Promise<readonly Notification[]> {
    const ids = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM notifications WHERE user_id = ${userId}
      ORDER BY (in_app AND archived_at IS NULL AND deleted_at IS NULL), created_at, id LIMIT ${over}`;
    const found = await Promise.all(ids.map((r) => this.notifications.findById(r.id)));
    return found.filter((n): n is Notification => n !== null);
  }

  /** The tenant's committed key; another tenant's is not seen (the statement's insert then conflicts). */
  async claim(scope: string, key: string, tenantId: string) {
    const row = await this.prisma.idempotencyKey.findFirst({ where: { scope, key, tenantId } });
    return row && { requestHash: row.requestHash, response: row.response };
  }
}
