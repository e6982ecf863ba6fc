import type { Clock, HandlerJobQueue, HandlerOutcome, HandlerRunObserver } from '@pushline/domain';
import type { EventHandlerRegistry } from './event-handler-registry.js';

export interface RunEventHandlersOptions {
  /** Jobs claimed per run. Default 50. */
  readonly batchSize?: number;
  /** How long a claimed job stays leased to this worker. Default 60 s. */
  readonly leaseMs?: number;
  /** Attempts before a job is dead-lettered. Default 8. */
  readonly maxAttempts?: number;
  /** First retry delay; doubled per attempt, capped at `maxBackoffMs`. Default 1 s. */
  readonly baseBackoffMs?: number;
  /** Default 10 min. */
  readonly maxBackoffMs?: number;
}

export interface HandlerRunSummary {
  readonly ok: number;
  readonly retried: number;
  readonly dead: number;
}

/**
 * Runs the due handler jobs once: each job's handler in isolation (one that throws is retried with
 * exponential backoff, and dead-lettered after `maxAttempts`; the others run regardless). A job
 * whose handler is no longer registered is dead-lettered at once, so nothing is silently dropped.
 */
export class RunEventHandlers {
  private readonly options: Required<RunEventHandlersOptions>;

  constructor(
    private readonly queue: HandlerJobQueue,
    private readonly handlers: EventHandlerRegistry,
    private readonly clock: Clock,
    options: RunEventHandlersOptions = {},
    private readonly observer: HandlerRunObserver = { onRun: () => {} },
  ) {
    this.options = { batchSize: 50, leaseMs: 60_000, maxAttempts: 8, baseBackoffMs: 1000, maxBackoffMs: 600_000, ...options };
  }

  /** The delay before attempt `attempts + 1`: base · 2^(attempts − 1), capped. */
  backoffMs(attempts: number): number {
    return Math.min(this.options.baseBackoffMs * 2 ** Math.max(attempts - 1, 0), this.options.maxBackoffMs);
  }

  async execute(): Promise<HandlerRunSummary> {
    const now = this.clock.now();
    const jobs = await this.queue.claim(now, this.options.batchSize, new Date(now.getTime() + this.options.leaseMs));
    const outcomes = await Promise.all(
      jobs.map(async (job): Promise<HandlerOutcome> => {
        const handler = this.handlers.get(job.handler);
        const started = performance.now();
        let outcome: HandlerOutcome;
        try {
          if (!handler) throw new Error(`no event handler named ${job.handler} is registered`);
          await handler.handle(job.event);
          await this.queue.complete(job.id, this.clock.now());
          outcome = 'ok';
        } catch (error) {
          const last = !handler || job.attempts >= this.options.maxAttempts;
          const at = this.clock.now();
          const retryAt = last ? null : new Date(at.getTime() + this.backoffMs(job.attempts));
          await this.queue.fail(job.id, error instanceof Error ? error.message : String(error), retryAt, at);
          outcome = last ? 'dead' : 'retry';
        }
        this.observer.onRun(job.handler, outcome, (performance.now() - started) / 1000);
        return outcome;
      }),
    );
    return {
      ok: outcomes.filter((o) => o === 'ok').length,
      retried: outcomes.filter((o) => o === 'retry').length,
      dead: outcomes.filter((o) => o === 'dead').length,
    };
  }
}
