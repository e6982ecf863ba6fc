import type { DispatchWebhooks } from '@pushline/application';
import type { Logger } from 'pino';

export interface WebhookWorkerOptions {
  /** Safety-net poll while idle (`WEBHOOK_POLL_MS`); a commit that queued deliveries nudges at once. */
  readonly pollMs: number;
}

/**
 * Runs the delivery rounds of this instance: one round at a time, the next at once while rounds come
 * back full, else after the poll interval or a nudge. State lives in the database (leases), so every
 * instance runs one and a restart loses nothing. `stop` drains: no new leases, the round in flight
 * finishes (its attempts are bounded by the send timeout).
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private again = false;
  private running = false;

  constructor(
    private readonly dispatch: Pick<DispatchWebhooks, 'execute'>,
    private readonly options: WebhookWorkerOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.nudge();
  }

  /** Deliveries were queued or became due: run a round now (or right after the current one). */
  nudge(): void {
    if (!this.running) return;
    if (this.round) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.round = this.runRound().finally(() => {
      this.round = undefined;
      if (!this.running) return;
      if (this.again) {
        this.again = false;
        this.nudge();
      } else {
        this.timer = setTimeout(() => this.nudge(), this.options.pollMs);
        this.timer.unref();
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
  }

  private async runRound(): Promise<void> {
    try {
      // A full round means more may be due: go again at once instead of waiting for the poll.
      if ((await this.dispatch.execute()) > 0) this.again = true;
    } catch (err) {
      this.logger.error({ err }, 'webhook delivery round failed; will retry');
    }
  }
}

/** Rung after a commit that queued webhook deliveries; the worker of this instance listens (nudge). */
export class WebhookQueuedSignal {
  private readonly listeners = new Set<() => void>();

  listen(listener: () => void): void {
    this.listeners.add(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
