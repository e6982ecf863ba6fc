import type {
  Clock,
  IdGenerator,
  LeasedWebhookDelivery,
  WebhookAttemptOutcome,
  WebhookObserver,
  WebhookQueue,
  WebhookRetrySchedule,
  WebhookSender,
  WebhookStatusLog,
} from '@pushline/domain';

export interface DispatchWebhooksSettings {
  readonly schedule: WebhookRetrySchedule;
  /** Deliveries taken per run unless the call says otherwise; they are sent concurrently. */
  readonly batchSize: number;
  /** Longer than one attempt can take (connect + response timeout), so a live lease never runs out. */
  readonly leaseMs: number;
  /** This instance, named on its leases. */
  readonly holder: string;
  /** Consecutive failed attempts after which a subscription is disabled (`WEBHOOK_DISABLE_AFTER_FAILURES`). */
  readonly disableAfterFailures: number;
  /** Or after failing this long without a success (`WEBHOOK_DISABLE_AFTER_FAILING_FOR`). */
  readonly disableAfterFailingMs?: number;
}

/**
 * One round of the delivery worker: lease the due deliveries, send each once, log the attempt and
 * schedule the next one (or give up), and disable a subscription that keeps failing.
 */
export class DispatchWebhooks {
  constructor(
    private readonly queue: WebhookQueue,
    private readonly sender: WebhookSender,
    private readonly statusLog: WebhookStatusLog,
    private readonly observer: WebhookObserver,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly settings: DispatchWebhooksSettings,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Resolves with the number of deliveries attempted (0: nothing was due), once every attempt is logged.
   * `leased` hears the count as soon as the lease is taken and `settled` each attempt as it is logged,
   * so a worker can refill a slot while other receivers of the round are still answering (no
   * head-of-line blocking behind a slow receiver).
   */
  async execute(options: { limit?: number; leased?: (count: number) => void; settled?: () => void } = {}): Promise<number> {
    const leased = await this.queue.lease({
      now: this.clock.now(),
      limit: options.limit ?? this.settings.batchSize,
      leaseMs: this.settings.leaseMs,
      holder: this.settings.holder,
    });
    options.leased?.(leased.length);
    await Promise.all(leased.map((delivery) => this.attempt(delivery).finally(() => options.settled?.())));
    return leased.length;
  }

  private async attempt(delivery: LeasedWebhookDelivery): Promise<void> {
    const at = this.clock.now();
    const response = await this.sender.send({
      url: delivery.url,
      id: delivery.id,
      body: delivery.payload,
      secrets: delivery.secrets,
      replay: delivery.replay,
    });
    const succeeded = response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
    const outcome = succeeded ? ({ status: 'succeeded' } as const) : this.retryOrGiveUp(delivery, at, response.retryAfterMs);
    const failures = await this.queue.record(
      delivery,
      { at, statusCode: response.statusCode, durationMs: response.durationMs, error: response.error, responseBody: response.responseBody },
      outcome,
    );
    this.observer.attempted(succeeded ? 'succeeded' : outcome.status === 'pending' ? 'retrying' : 'failed', response.durationMs, response.statusCode);
    if (!succeeded && failures) await this.disableIfFailing(delivery, failures.consecutiveFailures, failures.failingSince, at);
  }

  private retryOrGiveUp(delivery: LeasedWebhookDelivery, at: Date, retryAfterMs: number | undefined): WebhookAttemptOutcome {
    const delay = this.settings.schedule.delayAfter(delivery.attemptsMade + 1, this.random, retryAfterMs);
    return delay === undefined ? { status: 'failed' } : { status: 'pending', nextAttemptAt: new Date(at.getTime() + delay) };
  }

  private async disableIfFailing(delivery: LeasedWebhookDelivery, failures: number, failingSince: Date | null, now: Date): Promise<void> {
    const { disableAfterFailures, disableAfterFailingMs } = this.settings;
    const failingMs = failingSince ? now.getTime() - failingSince.getTime() : 0;
    const reason =
      failures >= disableAfterFailures
        ? `${failures} consecutive failed attempts`
        : disableAfterFailingMs !== undefined && failingMs >= disableAfterFailingMs
          ? `failing for ${Math.round(failingMs / 1000)} s without a success`
          : undefined;
    if (!reason) return;
    const disabled = await this.statusLog.disable({ id: this.ids.next(), type: 'webhook.disabled', subscriptionId: delivery.subscriptionId, reason, time: now });
    if (disabled) this.observer.disabled(delivery.subscriptionId, delivery.owner, reason);
  }
}
