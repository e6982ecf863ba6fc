import type { Database } from '@pushline/persistence-prisma';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { authModule } from './auth.module.js';
import { coreModule } from './core.module.js';
import { memoryBrokerModule } from './memory-broker.module.js';
import { metricsModule } from './metrics.module.js';
import { persistenceModule } from './persistence.module.js';
import { redisBrokerModule } from './redis-broker.module.js';
import { sseModule } from './sse.module.js';
import { tenancyModule } from './tenancy.module.js';
import { wsModule } from './ws.module.js';

export interface ContainerParts {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly jwtSecret: string;
}

/** The composition root: the only place that knows which adapter serves which port. */
export function buildContainer(parts: ContainerParts): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<Logger>(TOKENS.Logger).toConstantValue(parts.logger);
  container.load(
    coreModule(parts.config),
    authModule(parts.config, parts.jwtSecret),
    persistenceModule(parts.config, parts.database),
    parts.config.eventBus.kind === 'redis' ? redisBrokerModule(parts.config.eventBus) : memoryBrokerModule(),
    sseModule(parts.config),
    metricsModule(parts.config, parts.database),
    tenancyModule(parts.database),
  );
  if (parts.config.transports.includes('ws')) container.load(wsModule());
  return container;
}
