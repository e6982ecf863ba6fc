import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Labels on every series, e.g. `{ instance: 'api-1' }`. */
  readonly defaultLabels?: Record<string, string>;
  /** Process metrics (CPU, memory, event-loop lag, GC). Default true. */
  readonly processMetrics?: boolean;
  /** Users with at least one open stream on this instance; read on each scrape. */
  readonly connectedUsers: () => number;
  /**
   * Committed stream rows the relay has not published yet; read on each scrape, so it must be cheap.
   * A failure leaves the last value in place rather than failing the scrape.
   */
  readonly outboxBacklog: () => Promise<number>;
}

/**
 * One registry per API instance (never prom-client's global one), so several instances in one
 * process, as in tests, keep their own series.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'pushline_' });
  new Gauge({
    name: 'pushline_stream_users',
    help: 'Users with at least one device stream open on this instance',
    registers: [registry],
    collect() {
      this.set(options.connectedUsers());
    },
  });
  new Gauge({
    name: 'pushline_outbox_backlog',
    help: 'Committed stream entries not yet published by the outbox relay (all instances share the outbox)',
    registers: [registry],
    async collect() {
      try {
        this.set(await options.outboxBacklog());
      } catch {
        // The database being down shows on /ready; the scrape still answers.
      }
    },
  });
  return registry;
}
