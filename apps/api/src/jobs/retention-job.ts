import type { Clock, HandlerJobQueue } from '@pushline/domain';
import type { EventRetention } from '@pushline/persistence-prisma';
import type { Logger } from 'pino';

export interface RetentionJobOptions {
  /** Stream entries older than this many days are removed (`EVENT_RETENTION_DAYS`). */
  readonly retentionDays: number;
  /** Time between runs (`EVENT_RETENTION_INTERVAL_MS`); the first run starts with the job. */
  readonly intervalMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Succeeded handler jobs are removed after `retentionDays` (`HANDLER_JOB_RETENTION_DAYS`), `batchSize` per statement. */
export interface HandlerJobRetention {
  readonly queue: Pick<HandlerJobQueue, 'purgeDone'>;
  readonly retentionDays: number;
  /** Rows per DELETE (default 1000): short statements, so the worker's claims never wait long. */
  readonly batchSize?: number;
  /** Batches per run (default 100); what is left waits for the next run. */
  readonly maxBatches?: number;
}

/**
 * Trims old, published entries from the users' streams (and login sessions past their absolute end) on a timer. Every instance runs it; the
 * purge is one idempotent statement, so concurrent runs on several instances are harmless.
 */
export class RetentionJob {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly retention: Pick<EventRetention, 'purgeOlderThan'>,
    private readonly clock: Clock,
    private readonly options: RetentionJobOptions,
    private readonly logger: Logger,
    /** Login sessions past their absolute end (revoked or not): no token of theirs can work any more. */
    private readonly sessions?: { purgeExpired(): Promise<number> },
    /** Dead letters are never removed here: they stay until replayed or purged by the operator. */
    private readonly handlerJobs?: HandlerJobRetention,
  ) {}

  start(): void {
    if (this.timer) return;
    // Unref'd: a pending purge never keeps the process alive.
    this.timer = setInterval(() => void this.runLogged(), this.options.intervalMs);
    this.timer.unref();
    // Run once at start too, so frequent deploys cannot postpone retention forever.
    void this.runLogged();
  }

  /**
   * Purges entries created before `cutoff` (default: now minus the retention) and resolves to how
   * many were removed. A call while a run is in progress joins that run instead of starting another.
   */
  run(cutoff: Date = new Date(this.clock.now().getTime() - this.options.retentionDays * DAY_MS)): Promise<number> {
    this.running ??= this.purge(cutoff).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async purge(cutoff: Date): Promise<number> {
    const removed = await this.retention.purgeOlderThan(cutoff);
    await this.sessions?.purgeExpired();
    await this.purgeHandlerJobs();
    return removed;
  }

  /** Resolves to the succeeded handler jobs removed: bounded batches, each its own statement. */
  async purgeHandlerJobs(): Promise<number> {
    if (!this.handlerJobs) return 0;
    const { queue, retentionDays, batchSize = 1000, maxBatches = 100 } = this.handlerJobs;
    const before = new Date(this.clock.now().getTime() - retentionDays * DAY_MS);
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const removed = await queue.purgeDone(before, batchSize);
      total += removed;
      if (removed < batchSize) break;
    }
    if (total > 0) this.logger.info({ removed: total }, 'retention removed succeeded handler jobs');
    return total;
  }

  /** Stops the timer and waits for a run in progress, so the database can be closed after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async runLogged(): Promise<void> {
    try {
      const removed = await this.run();
      if (removed > 0) this.logger.info({ removed }, 'event retention removed old stream entries');
    } catch (err) {
      this.logger.error({ err }, 'event retention failed; will retry on the next run');
    }
  }
}
