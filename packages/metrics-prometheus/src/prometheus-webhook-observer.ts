import type { WebhookAttemptResult, WebhookObserver } from '@pushline/domain';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WebhookBacklogReading {
  readonly pending: number;
  readonly oldestDueAgeSeconds: number;
  readonly disabledSubscriptions: number;
}

/**
 * Webhook metrics: attempts by outcome and their latency (counted as they happen), and the shared
 * queue's backlog, its oldest due delivery's age and the disabled subscriptions (read on scrape).
 */
export class PrometheusWebhookObserver implements WebhookObserver {
  private readonly attempts: Counter<'result' | 'status_class'>;
  private readonly latency: Histogram<'result'>;
  private readonly disabledTotal: Counter;

  constructor(registry: Registry, backlog: () => Promise<WebhookBacklogReading>) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'pushline_webhook_attempts_total',
      help: 'Webhook delivery attempts by result (succeeded, retrying, failed: no attempt left) and response class',
      labelNames: ['result', 'status_class'],
      registers,
    });
    this.latency = new Histogram({
      name: 'pushline_webhook_attempt_duration_seconds',
      help: 'Duration of webhook attempts, from connect to the end of the (bounded) response read',
      labelNames: ['result'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.disabledTotal = new Counter({
      name: 'pushline_webhook_subscriptions_auto_disabled_total',
      help: 'Subscriptions this instance disabled after repeated failures',
      registers,
    });
    let last: WebhookBacklogReading | undefined;
    const read = async () => {
      try {
        last = await backlog();
      } catch {
        // The database being down shows on /ready; keep the last reading.
      }
      return last;
    };
    // One query per scrape feeds all three gauges: the first collect reads, the others reuse it.
    let reading: Promise<WebhookBacklogReading | undefined> | undefined;
    const shared = () => (reading ??= read().finally(() => setImmediate(() => (reading = undefined))));
    const gauge = (name: string, help: string, pick: (r: WebhookBacklogReading) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const r = await shared();
          if (r) this.set(pick(r));
        },
      });
    gauge('pushline_webhook_backlog', 'Pending webhook deliveries (all instances share the queue)', (r) => r.pending);
    gauge('pushline_webhook_backlog_age_seconds', 'How long the oldest due webhook delivery has been waiting', (r) => r.oldestDueAgeSeconds);
    gauge('pushline_webhook_subscriptions_disabled', 'Webhook subscriptions currently disabled', (r) => r.disabledSubscriptions);
  }

  attempted(result: WebhookAttemptResult, durationMs: number, statusCode: number | null): void {
    this.attempts.inc({ result, status_class: statusCode === null ? 'none' : `${Math.floor(statusCode / 100)}xx` });
    this.latency.observe({ result }, durationMs / 1000);
  }

  disabled(): void {
    this.disabledTotal.inc();
  }
}
