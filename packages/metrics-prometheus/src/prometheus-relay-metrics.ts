import { Counter, type Registry } from 'prom-client';

/**
 * What the outbox relay's drains publish: entries no fast path published at commit, because its
 * publish failed, its instance stopped between commit and publish, or the fast path is turned off.
 * Steady growth with the fast path on means one of the first two keeps happening.
 */
export class PrometheusRelayMetrics {
  private readonly drainedEntries: Counter;

  constructor(registry: Registry) {
    this.drainedEntries = new Counter({
      name: 'pushline_outbox_drained_total',
      help: 'Stream entries the outbox relay published from a drain or its poll rather than right after their commit (at-least-once: a retried batch counts again)',
      registers: [registry],
    });
  }

  drained(entries: number): void {
    this.drainedEntries.inc(entries);
  }
}
