import type { DeadLetter, DomainEvent, HandlerJob, HandlerJobQueue } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { BatchedWrite } from './batched-write.js';
import { progressSqlOf } from './hot-sql.js';

interface ClaimedRow {
  id: bigint | string;
  handler: string;
  envelope: unknown;
  attempts: number;
}

/** `event_handler_jobs` as the handler worker's queue; `FOR UPDATE SKIP LOCKED` shares it across instances. */
export class PrismaHandlerJobQueue implements HandlerJobQueue {
  constructor(private readonly prisma: PrismaClient) {}

  // The worker completes a batch's jobs concurrently: their "done" marks go as one statement.
  private readonly done = new BatchedWrite<{ id: string; at: Date }>((jobs) =>
    progressSqlOf(this.prisma).query(
      `UPDATE event_handler_jobs j SET status = 'done', locked_until = NULL, updated_at = d.at
       FROM unnest($1::bigint[], $2::timestamptz[]) AS d(id, at) WHERE j.id = d.id`,
      [jobs.map((j) => j.id), jobs.map((j) => j.at.toISOString())],
    ),
  );

  async claim(now: Date, limit: number, leaseUntil: Date): Promise<readonly HandlerJob[]> {
    // Every create queues a job (the audit log), so this and `complete` are hot statements.
    const rows = await progressSqlOf(this.prisma).query<ClaimedRow>(
      `UPDATE event_handler_jobs SET locked_until = $1, attempts = attempts + 1, updated_at = $2
      WHERE id IN (
        SELECT id FROM event_handler_jobs
        WHERE status = 'pending' AND run_at <= $2 AND (locked_until IS NULL OR locked_until <= $2)
        ORDER BY run_at, id
        LIMIT $3
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, handler, envelope, attempts`,
      [leaseUntil, now, limit],
    );
    return rows
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
      .map((r) => ({ id: String(r.id), handler: r.handler, event: r.envelope as DomainEvent, attempts: r.attempts }));
  }

  async complete(jobId: string, now: Date): Promise<void> {
    await this.done.add({ id: jobId, at: now });
  }

  async fail(jobId: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
    await this.prisma.eventHandlerJob.update({
      where: { id: BigInt(jobId) },
      data: { status: retryAt ? 'pending' : 'dead', ...(retryAt && { runAt: retryAt }), lockedUntil: null, lastError: error.slice(0, 2000), updatedAt: now },
    });
  }

  async listDead({ handler, limit }: { handler?: string; limit: number }): Promise<readonly DeadLetter[]> {
    const rows = await this.prisma.eventHandlerJob.findMany({
      where: { status: 'dead', ...(handler && { handler }) },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => ({
      id: String(r.id),
      handler: r.handler,
      event: r.envelope as unknown as DomainEvent,
      attempts: r.attempts,
      lastError: r.lastError ?? '',
      failedAt: r.updatedAt,
    }));
  }

  async replay(jobId: string, now: Date): Promise<boolean> {
    if (!/^\d{1,18}$/.test(jobId)) return false;
    const { count } = await this.prisma.eventHandlerJob.updateMany({
      where: { id: BigInt(jobId), status: 'dead' },
      data: { status: 'pending', attempts: 0, runAt: now, lockedUntil: null, updatedAt: now },
    });
    return count === 1;
  }

  async purgeDone(before: Date, limit: number): Promise<number> {
    // One bounded statement: the subquery picks the batch by the (status, updated_at) index.
    return this.prisma.$executeRaw`
      DELETE FROM event_handler_jobs WHERE id IN (
        SELECT id FROM event_handler_jobs WHERE status = 'done' AND updated_at < ${before}
        ORDER BY updated_at, id LIMIT ${limit}
      )`;
  }

  async purgeDead(jobId: string): Promise<boolean> {
    if (!/^\d{1,18}$/.test(jobId)) return false;
    const { count } = await this.prisma.eventHandlerJob.deleteMany({ where: { id: BigInt(jobId), status: 'dead' } });
    return count === 1;
  }
}
