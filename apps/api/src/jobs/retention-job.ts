import type { ChannelDeliveryRepository, Clock, HandlerJobQueue } from '@pushline/domain';
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

/** Settled send records of notifications that are gone go after `retentionDays` (`CHANNEL_DELIVERY_RETENTION_DAYS`). */
export interface ChannelDeliveryRetention {
  readonly deliveries: Pick<ChannelDeliveryRepository, 'purgeOrphaned'>;
  readonly retentionDays: number;
  readonly batchSize?: number;
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
    private readonly channelDeliveries?: ChannelDeliveryRetention,
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
    await this.purgeChannelDeliveries();
    return removed;
  }

  /** Resolves to the succeeded handler jobs removed: bounded batches, each its own statement. */
  async purgeHandlerJobs(): Promise<number> {
    if (!this.handlerJobs) return 0;
    const { queue, retentionDays } = this.handlerJobs;
    const before = this.daysAgo(retentionDays);
    const total = await inBatches((limit) => queue.purgeDone(before, limit), this.handlerJobs);
    if (total > 0) this.logger.info({ removed: total }, 'retention removed succeeded handler jobs');
    return total;
  }

  /** Resolves to the send records removed whose notification is gone (e.g. past the per-user cap). */
  async purgeChannelDeliveries(): Promise<number> {
    if (!this.channelDeliveries) return 0;
    const { deliveries, retentionDays } = this.channelDeliveries;
    const before = this.daysAgo(retentionDays);
    const total = await inBatches((limit) => deliveries.purgeOrphaned(before, limit), this.channelDeliveries);
    if (total > 0) this.logger.info({ removed: total }, 'retention removed send records of removed notifications');
    return total;
  }

  private daysAgo(days: number): Date {
    return new Date(this.clock.now().getTime() - days * DAY_MS);
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

/** Short statements (default 1000 rows, so workers never wait long), at most `maxBatches` (default 100) a run. */
async function inBatches(purge: (limit: number) => Promise<number>, { batchSize = 1000, maxBatches = 100 }: { batchSize?: number; maxBatches?: number }): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const removed = await purge(batchSize);
    total += removed;
    if (removed < batchSize) break;
  }
  return total;
}
