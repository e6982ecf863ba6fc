import { Prisma } from './generated/prisma/client.js';

/**
 * `column <= now - minAgeMs`, on the database's clock (so an instance's clock skew cannot hide or
 * expose a row). With 0, every committed row qualifies. The relay's sweep passes its
 * `sweepAfterMs`, leaving younger rows to the instance whose fast path is publishing them.
 */
export function createdAtLeastAgo(column: 'created_at' | 'e.created_at', minAgeMs: number): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(column)} <= clock_timestamp() - ${minAgeMs}::int * interval '1 millisecond'`;
}
