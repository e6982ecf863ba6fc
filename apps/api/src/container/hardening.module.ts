import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { UnauthenticatedConnectionCap } from '../http/connection-cap.js';
import { OriginPolicy } from '../http/origin-policy.js';
import { memoryRateLimitStores, redisRateLimitStores } from '../http/rate-limits.js';
import { TOKENS } from '../tokens.js';

/** Origin allow-list, rate-limit counters (in Redis when instances share one) and the connection cap. */
export function hardeningModule(config: Config): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.OriginPolicy).toConstantValue(new OriginPolicy(config.allowedOrigins));
    bind(TOKENS.ConnectionCap).toConstantValue(new UnauthenticatedConnectionCap(config.maxUnauthenticatedConnectionsPerIp));
    bind(TOKENS.RateLimitStores)
      .toDynamicValue((c) => {
        if (config.eventBus.kind !== 'redis') return memoryRateLimitStores();
        const logger = c.get<Logger>(TOKENS.Logger);
        return redisRateLimitStores(config.eventBus, (err) => logger.debug({ err }, 'rate-limit store error'));
      })
      .inSingletonScope();
  });
}
