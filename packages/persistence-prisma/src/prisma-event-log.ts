import type { DomainEvent, EventLog, StreamEntry } from '@pushline/domain';
import type { PrismaExecutor } from './prisma-executor.js';

/** Reads the per-user streams that OutboxEventBus appends to. */
export class PrismaEventLog implements EventLog {
  constructor(private readonly db: PrismaExecutor) {}

  async readAfter(userId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    const rows = await this.db.streamEvent.findMany({
      where: { userId, cursor: { gt: BigInt(Math.trunc(after)) } },
      orderBy: { cursor: 'asc' },
      take: limit,
      select: { cursor: true, envelope: true },
    });
    return rows.map((row) => ({ userId, cursor: Number(row.cursor), event: row.envelope as unknown as DomainEvent }));
  }

  async headCursor(userId: string): Promise<number> {
    const stream = await this.db.userStream.findUnique({ where: { userId }, select: { headCursor: true } });
    return stream ? Number(stream.headCursor) : 0;
  }

  async oldestRetainedCursor(userId: string): Promise<number | null> {
    const stream = await this.db.userStream.findUnique({ where: { userId }, select: { trimmedThrough: true } });
    return stream && stream.trimmedThrough > 0n ? Number(stream.trimmedThrough) + 1 : null;
  }
}
