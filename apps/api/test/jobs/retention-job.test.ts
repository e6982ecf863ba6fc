import { describe, expect, it } from '@jest/globals';
import { EventMother, FixedClock, InMemoryChannelDeliveryRepository, InMemoryHandlerJobQueue } from '@pushline/testing';
import pino from 'pino';
import { RetentionJob } from '../../src/jobs/retention-job.js';

/** A purge that finishes only when the test says so, and records the cutoffs it was given. */
class ControlledRetention {
  readonly cutoffs: Date[] = [];
  private finish: ((removed: number) => void) | undefined;
  private fail: ((error: Error) => void) | undefined;

  purgeOlderThan(cutoff: Date): Promise<number> {
    this.cutoffs.push(cutoff);
    return new Promise((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
  }

  complete(removed: number): void {
    this.finish?.(removed);
  }

  reject(error: Error): void {
    this.fail?.(error);
  }
}

function recordingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const options = { retentionDays: 30, intervalMs: 3_600_000 };

describe('RetentionJob', () => {
  it('purges entries older than the retention by default, or before the cutoff it is given', async () => {
    const retention = new ControlledRetention();
    const job = new RetentionJob(retention, new FixedClock('2026-03-31T00:00:00.000Z'), options, recordingLogger().logger);

    const byDefault = job.run();
    retention.complete(4);
    expect(await byDefault).toBe(4);
    const explicit = job.run(new Date('2026-03-01T12:00:00.000Z'));
    retention.complete(0);
    await explicit;

    expect(retention.cutoffs).toEqual([new Date('2026-03-01T00:00:00.000Z'), new Date('2026-03-01T12:00:00.000Z')]);
  });

  it('never overlaps runs: a run requested while one is in progress joins it', async () => {
    const retention = new ControlledRetention();
    const job = new RetentionJob(retention, new FixedClock(), options, recordingLogger().logger);

    const first = job.run();
    const second = job.run();
    retention.complete(7);

    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(retention.cutoffs).toHaveLength(1);
    const third = job.run();
    retention.complete(1);
    expect(await third).toBe(1);
    expect(retention.cutoffs).toHaveLength(2);
  });

  it('also purges expired session revocations on each run', async () => {
    const retention = new ControlledRetention();
    let purged = 0;
    const job = new RetentionJob(retention, new FixedClock(), options, recordingLogger().logger, {
      purgeExpired: async () => ++purged,
    });
    const run = job.run();
    retention.complete(3);
    expect(await run).toBe(3);
    expect(purged).toBe(1);
  });

  it('logs a failed scheduled run, and stop() waits for the run in progress', async () => {
    const retention = new ControlledRetention();
    const { logger, lines } = recordingLogger();
    const job = new RetentionJob(retention, new FixedClock(), options, logger);

    job.start(); // the first run starts at once
    expect(retention.cutoffs).toHaveLength(1);
    let stopped = false;
    const stopping = job.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    retention.reject(new Error('database went away'));
    await stopping;

    expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: 'event retention failed; will retry on the next run', err: expect.objectContaining({ message: 'database went away' }) }));
  });

  it('removes succeeded handler jobs older than their retention in bounded batches, and keeps dead letters', async () => {
    const clock = new FixedClock('2026-03-31T00:00:00.000Z');
    const queue = new InMemoryHandlerJobQueue();
    // 7 jobs done 8 days ago, 1 done yesterday, 1 dead letter 8 days ago.
    for (let i = 0; i < 9; i++) queue.enqueue('h', { ...EventMother.read(`u${i}`), time: '2026-03-20T00:00:00.000Z' });
    const jobs = await queue.claim(new Date('2026-03-21T00:00:00.000Z'), 100, new Date('2026-03-21T00:01:00.000Z'));
    for (const job of jobs.slice(0, 7)) await queue.complete(job.id, new Date('2026-03-23T00:00:00.000Z'));
    await queue.complete(jobs[7]!.id, new Date('2026-03-30T00:00:00.000Z'));
    await queue.fail(jobs[8]!.id, 'broken', null, new Date('2026-03-23T00:00:00.000Z'));
    const calls: number[] = [];
    const counted = { purgeDone: async (before: Date, limit: number) => { const n = await queue.purgeDone(before, limit); calls.push(n); return n; } };
    const job = new RetentionJob(new ControlledRetention(), clock, options, recordingLogger().logger, undefined, { queue: counted, retentionDays: 7, batchSize: 3, maxBatches: 2 });

    expect(await job.purgeHandlerJobs()).toBe(6);
    expect(calls).toEqual([3, 3]); // at most maxBatches per run; the rest waits for the next run
    expect(await job.purgeHandlerJobs()).toBe(1);
    expect(await job.purgeHandlerJobs()).toBe(0);
    expect([...queue.rows.values()].map((r) => r.status).sort()).toEqual(['dead', 'done']);
  });

  it('removes settled send records of notifications that are gone after CHANNEL_DELIVERY_RETENTION_DAYS; keeps pending ones and those of kept notifications', async () => {
    const clock = new FixedClock('2026-03-31T00:00:00.000Z');
    const kept = new Set(['n-kept']);
    const deliveries = new InMemoryChannelDeliveryRepository((id) => kept.has(id));
    const old = new Date('2026-02-01T00:00:00.000Z');
    const rec = (id: string, notificationId: string) => ({ id, tenantId: 't', userId: 'u', notificationId, channel: 'email' as const, category: 'orders', digestKey: null, nextAttemptAt: old, createdAt: old });
    await deliveries.add([rec('gone-sent', 'n-capped-1'), rec('gone-skipped', 'n-capped-2'), rec('gone-pending', 'n-capped-3'), rec('gone-recent', 'n-capped-4'), rec('kept-sent', 'n-kept')]);
    await deliveries.markSent(['gone-sent', 'kept-sent'], old);
    await deliveries.markSkipped(['gone-skipped'], 'deleted', old);
    await deliveries.markSent(['gone-recent'], new Date('2026-03-30T00:00:00.000Z'));
    const job = new RetentionJob(new ControlledRetention(), clock, options, recordingLogger().logger, undefined, undefined, { deliveries, retentionDays: 30, batchSize: 1 });

    expect(await job.purgeChannelDeliveries()).toBe(2);
    expect([...deliveries.rows.keys()].sort()).toEqual(['gone-pending', 'gone-recent', 'kept-sent']);
  });
});
