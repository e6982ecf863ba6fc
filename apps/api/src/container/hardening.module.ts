import { PrometheusHttpMetrics } from '@pushline/metrics-prometheus';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';
import { UnauthenticatedConnectionCap } from '../http/connection-cap.js';
import { OriginPolicy } from '../http/origin-policy.js';
import { memoryRateLimitStores, redisRateLimitStores } from '../http/rate-limits.js';

/** Origin allow-list, rate-limit counters (in Redis when instances share one) and the connection cap. */
export function hardeningModule(config: Config) {
  return containerModule((r) => {
    r.value(OriginPolicy, new OriginPolicy(config.allowedOrigins));
    r.provide(UnauthenticatedConnectionCap, (c) => {
      const metrics = c.get(PrometheusHttpMetrics);
      return new UnauthenticatedConnectionCap(config.maxUnauthenticatedConnectionsPerIp, () => metrics.refused('unauthenticated_connections'));
    });
    r.provide(Ports.RateLimitStores, (c) => {
      if (config.eventBus.kind !== 'redis') return memoryRateLimitStores();
      const logger = c.get(Ports.Logger);
      return redisRateLimitStores(config.eventBus, (err) => logger.debug({ err }, 'rate-limit store error'));
    });
  });
}
