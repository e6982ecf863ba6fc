import type { Clock } from '@pushline/domain';
import type { EventRetention } from '@pushline/persistence-prisma';
import type { Logger } from 'pino';

export interface RetentionJobOptions {
  /** Stream entries older than this many days are removed (`EVENT_RETENTION_DAYS`). */
  readonly retentionDays: number;
  /** Time between runs (`EVENT_RETENTION_INTERVAL_MS`); the first run starts with the job. */
  readonly intervalMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

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
    return removed;
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
