import type { StreamObserver } from '@pushline/domain';
import { createMetricsRegistry, PrometheusHttpMetrics, PrometheusStreamObserver } from '@pushline/metrics-prometheus';
import { countOutboxBacklog, type Database } from '@pushline/persistence-prisma';
import type { StreamHub } from '@pushline/stream-engine';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { LoggingStreamObserver } from '../logging-stream-observer.js';

/** Prometheus metrics (one registry per instance) and the stream observer that feeds them and the log. */
export function metricsModule(config: Config, db: Database): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.MetricsRegistry)
      .toDynamicValue((c) =>
        createMetricsRegistry({
          defaultLabels: { instance: config.ops.instanceId },
          // Resolved on scrape: the hub depends on the observer, which depends on this registry.
          connectedUsers: () => c.get<StreamHub>(TOKENS.StreamHub).stats().users,
          outboxBacklog: () => countOutboxBacklog(db.prisma),
        }),
      )
      .inSingletonScope();
    bind(TOKENS.HttpMetrics)
      .toDynamicValue((c) => new PrometheusHttpMetrics(c.get(TOKENS.MetricsRegistry)))
      .inSingletonScope();
    bind<StreamObserver>(TOKENS.StreamObserver)
      .toDynamicValue((c) => {
        const metrics = new PrometheusStreamObserver(c.get(TOKENS.MetricsRegistry));
        const log = new LoggingStreamObserver(c.get<Logger>(TOKENS.Logger));
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
      })
      .inSingletonScope();
  });
}
