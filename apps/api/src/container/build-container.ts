import type { Database } from '@pushline/persistence-prisma';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { authModule } from './auth.module.js';
import { coreModule } from './core.module.js';
import { memoryBrokerModule } from './memory-broker.module.js';
import { persistenceModule } from './persistence.module.js';
import { sseModule } from './sse.module.js';

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
    memoryBrokerModule(),
    sseModule(parts.config),
  );
  return container;
}
