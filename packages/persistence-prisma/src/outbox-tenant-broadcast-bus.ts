import type { DomainEvent, StreamEntry, TenantBroadcastBus } from '@pushline/domain';
import type { Prisma } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * The tenant broadcasts of one unit of work: each event becomes ONE row of the tenant's shared stream
 * (and one in the `events` archive), in the transaction, whatever the tenant's size. The cursor is
 * taken like a user's: the upsert on `tenant_streams` locks the tenant's row until commit, so cursors
 * are gap-free and become visible in order. The relay publishes the rows after commit.
 */
export class OutboxTenantBroadcastBus implements TenantBroadcastBus {
  private readonly stored: StreamEntry[] = [];

  constructor(private readonly tx: PrismaExecutor) {}

  /** Entries appended so far, with their tenant cursors: handed to the relay after commit. */
  get written(): readonly StreamEntry[] {
    return this.stored;
  }

  async broadcast(tenantId: string, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const [row] = await this.tx.$queryRaw<{ head_cursor: bigint }[]>`
      INSERT INTO tenant_streams (tenant_id, head_cursor) VALUES (${tenantId}, ${events.length})
      ON CONFLICT (tenant_id) DO UPDATE SET head_cursor = tenant_streams.head_cursor + ${events.length}
      RETURNING head_cursor`;
    if (!row) throw new Error(`no stream row returned for tenant ${tenantId}`);
    let cursor = BigInt(row.head_cursor) - BigInt(events.length) + 1n;
    const rows = events.map((event) => {
      const entry: StreamEntry = { userId: '', tenantStream: tenantId, cursor: Number(cursor), event };
      this.stored.push(entry);
      return { tenantId, cursor: cursor++, eventId: event.id, type: event.type, envelope: event as unknown as Prisma.InputJsonObject };
    });
    await this.tx.tenantStreamEvent.createMany({ data: rows });
    // The one-row-per-event archive, as OutboxEventBus writes it: the operator's event queries see broadcasts.
    await this.tx.event.createMany({
      data: events.map((e) => ({
        id: e.id,
        tenantId,
        appId: e.appid ?? null,
        type: e.type,
        subject: e.subject,
        envelope: e as unknown as Prisma.InputJsonObject,
        createdAt: new Date(e.time),
      })),
      skipDuplicates: true,
    });
  }
}
