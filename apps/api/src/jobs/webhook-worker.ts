import type { DispatchWebhooks } from '@pushline/application';
import type { Logger } from 'pino';

export interface WebhookWorkerOptions {
  /** Safety-net poll while idle (`WEBHOOK_POLL_MS`); a commit that queued deliveries nudges at once. */
  readonly pollMs: number;
  /** Deliveries in flight at most (`WEBHOOK_CONCURRENCY`). */
  readonly concurrency: number;
}

/**
 * Keeps up to `concurrency` deliveries of this instance in flight: whenever slots are free it leases
 * that many due deliveries, and every attempt that is logged frees its slot for the next lease, so one
 * slow receiver never holds the others back. Idle, it polls; a commit that queued deliveries nudges
 * it. State lives in the database (leases), so every instance runs one and a restart loses nothing.
 * `stop` drains: no new leases, the attempts in flight finish (each bounded by the send timeout).
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private readonly rounds = new Set<Promise<void>>();
  private inFlight = 0;
  private leasing = false;
  private nudgedWhileLeasing = false;
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

  /** Deliveries were queued or became due: lease now (or right after the lease in progress). */
  nudge(): void {
    if (!this.running) return;
    if (this.leasing) {
      this.nudgedWhileLeasing = true;
      return;
    }
    const free = this.options.concurrency - this.inFlight;
    // All slots busy: the next logged attempt nudges again.
    if (free <= 0) return;
    this.leasing = true;
    this.nudgedWhileLeasing = false;
    clearTimeout(this.timer);
    let leased = 0;
    let settled = 0;
    const round: Promise<void> = this.dispatch
      .execute({
        limit: free,
        settled: () => {
          settled += 1;
          this.inFlight -= 1;
          this.nudge();
        },
        leased: (count) => {
          leased = count;
          this.inFlight += count;
          this.leasing = false;
          // Something was due, so more may be: fill the remaining slots. Nothing was: wait for a nudge or the poll.
          if (count > 0 || this.nudgedWhileLeasing) this.nudge();
          else this.pollLater();
        },
      })
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err }, 'webhook delivery round failed; will retry'),
      )
      .finally(() => {
        this.rounds.delete(round);
        // Attempts that never reported (a failed round) free their slots here.
        this.inFlight -= leased - settled;
        if (this.leasing && leased === 0) {
          // The lease itself failed (database down): try again after the poll interval.
          this.leasing = false;
          this.pollLater();
        } else if (leased > settled) {
          this.nudge();
        }
      });
    this.rounds.add(round);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.all([...this.rounds]);
  }

  private pollLater(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.nudge(), this.options.pollMs);
    this.timer.unref();
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
