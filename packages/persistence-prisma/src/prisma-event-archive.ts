import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  type DomainEvent,
  type EventArchive,
  type EventCountBucket,
  type EventCountQuery,
  type EventQuery,
  type Page,
} from '@pushline/domain';
import { Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/** Reads the `events` table (one row per event) that the outbox writes beside the users' and tenants' streams. */
export class PrismaEventArchive implements EventArchive {
  constructor(private readonly db: PrismaExecutor) {}

  async query(q: EventQuery): Promise<Page<DomainEvent>> {
    const conditions = this.filters(q);
    if (q.cursor) {
      const c = decodeKeysetCursor(q.cursor);
      conditions.push(Prisma.sql`(e.created_at, e.id) < (${c.createdAt}, ${c.id})`);
    }
    const rows = await this.db.$queryRaw<{ id: string; created_at: Date; envelope: unknown }[]>`
      SELECT e.id, e.created_at, e.envelope FROM events e
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY e.created_at DESC, e.id DESC
      LIMIT ${q.limit + 1}`;
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => r.envelope as DomainEvent),
      nextCursor: rows.length > q.limit && last ? encodeKeysetCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  }

  async count(q: EventCountQuery): Promise<readonly EventCountBucket[]> {
    const conditions = this.filters(q);
    // The unit is one of two literals, never user text.
    const unit = q.bucket === 'day' ? Prisma.raw(`'day'`) : Prisma.raw(`'hour'`);
    const rows = await this.db.$queryRaw<{ start: Date; type: string; count: bigint }[]>`
      SELECT date_trunc(${unit}, e.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, e.type, count(*) AS count
      FROM events e WHERE ${Prisma.join(conditions, ' AND ')}
      GROUP BY 1, 2 ORDER BY 1, 2`;
    return rows.map((r) => ({ start: new Date(r.start), type: r.type, count: Number(r.count) }));
  }

  async findByIds(ids: readonly string[]): Promise<readonly DomainEvent[]> {
    const rows = await this.db.event.findMany({ where: { id: { in: [...ids] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((r) => r.envelope as unknown as DomainEvent);
  }

  async recipientsOf(eventId: string): Promise<readonly string[]> {
    const rows = await this.db.streamEvent.findMany({ where: { eventId }, select: { userId: true }, orderBy: { userId: 'asc' } });
    return rows.map((r) => r.userId);
  }

  async broadcastTenantOf(eventId: string): Promise<string | null> {
    const row = await this.db.tenantStreamEvent.findFirst({ where: { eventId }, select: { tenantId: true } });
    return row?.tenantId ?? null;
  }

  private filters(q: Partial<EventQuery>): Prisma.Sql[] {
    const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
    if (q.tenantId !== undefined) conditions.push(Prisma.sql`e.tenant_id = ${q.tenantId}`);
    if (q.appId !== undefined) conditions.push(Prisma.sql`e.app_id = ${q.appId}`);
    if (q.type !== undefined) conditions.push(Prisma.sql`e.type = ${q.type}`);
    if (q.from !== undefined) conditions.push(Prisma.sql`e.created_at >= ${q.from}`);
    if (q.to !== undefined) conditions.push(Prisma.sql`e.created_at < ${q.to}`);
    if (q.userId !== undefined) {
      // The user's own stream, and the broadcasts still in the shared stream of the user's tenant (every
      // device of the user reads that stream from its start, so they are the user's too).
      conditions.push(Prisma.sql`(EXISTS (SELECT 1 FROM stream_events s WHERE s.user_id = ${q.userId} AND s.event_id = e.id)
        OR EXISTS (SELECT 1 FROM tenant_stream_events t JOIN users u ON u.tenant_id = t.tenant_id WHERE u.id = ${q.userId} AND t.event_id = e.id))`);
    }
    return conditions;
  }
}
