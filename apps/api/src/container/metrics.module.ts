import { createMetricsRegistry, PrometheusHttpMetrics, PrometheusRelayMetrics, PrometheusStreamObserver } from '@pushline/metrics-prometheus';
import { countOutboxBacklog, type Database } from '@pushline/persistence-prisma';
import { StreamHub } from '@pushline/stream-engine';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';
import { LoggingStreamObserver } from '../logging-stream-observer.js';

/** Prometheus metrics (one registry per instance) and the stream observer that feeds them and the log. */
export function metricsModule(config: Config, db: Database) {
  return containerModule((r) => {
    r.provide(Ports.MetricsRegistry, (c) =>
      createMetricsRegistry({
        defaultLabels: { instance: config.ops.instanceId },
        // Resolved on scrape: the hub depends on the observer, which depends on this registry.
        connectedUsers: () => c.get(StreamHub).stats().users,
        outboxBacklog: () => countOutboxBacklog(db.prisma),
      }),
    );
    r.provide(PrometheusHttpMetrics, (c) => new PrometheusHttpMetrics(c.get(Ports.MetricsRegistry)));
    r.provide(PrometheusRelayMetrics, (c) => new PrometheusRelayMetrics(c.get(Ports.MetricsRegistry)));
    r.provide(Ports.StreamObserver, (c) => {
      const metrics = new PrometheusStreamObserver(c.get(Ports.MetricsRegistry));
      const log = new LoggingStreamObserver(c.get(Ports.Logger));
      return {
        opened: (stream) => {
          metrics.opened(stream);
          log.opened(stream);
        },
        closed: (stream, reason) => {
          metrics.closed(stream, reason);
          log.closed(stream, reason);
        },
        published: (entries) => metrics.published(entries),
        delivered: (entry, transport, replayed) => metrics.delivered(entry, transport, replayed),
      };
    });
  });
}
