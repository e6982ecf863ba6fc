import type { RunEventHandlers } from '@pushline/application';
import type { Logger } from 'pino';

export interface HandlerWorkerOptions {
  /** Time between polls (`HANDLER_POLL_MS`); commits that wrote jobs nudge it sooner. */
  readonly pollIntervalMs: number;
}

/**
 * Runs the event handlers' due jobs: on a timer (retries and jobs of other instances) and right
 * after a commit wrote jobs. Runs never overlap within an instance; across instances the queue's
 * leases (`FOR UPDATE SKIP LOCKED`) hand each job to one worker.
 */
export class HandlerWorker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly run: RunEventHandlers,
    private readonly options: HandlerWorkerOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.nudge(), this.options.pollIntervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Asks for a run soon; a run in progress is followed by one more. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when nothing is due any more (tests await it instead of sleeping). */
  async drain(): Promise<void> {
    this.nudge();
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const { ok, retried, dead } = await this.run.execute();
        if (retried + dead > 0) this.logger.warn({ ok, retried, dead }, 'event handlers failed; retrying with backoff');
        // A full batch may have left more due jobs behind it.
        if (ok + retried + dead > 0) this.again = true;
      } catch (err) {
        this.logger.error({ err }, 'event handler run failed; will retry on the next poll');
      }
    } while (this.again && !this.stopped);
  }
}
