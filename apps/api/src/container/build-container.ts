import { ChannelSenderRegistry, EventHandlerRegistry } from '@pushline/application';
import { HmacUnsubscribeTokens } from '@pushline/email-nodemailer';
import type { Database } from '@pushline/persistence-prisma';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import { features } from '../composition/features.js';
import { Ports } from '../composition/ports.js';
import { containerModule, servicesOf, type Services } from '../composition/typed-container.js';
import type { Config } from '../config.js';
import { authModule } from './auth.module.js';
import { coreModule } from './core.module.js';
import { hardeningModule } from './hardening.module.js';
import { memoryBrokerModule } from './memory-broker.module.js';
import { metricsModule } from './metrics.module.js';
import { persistenceModule } from './persistence.module.js';
import { redisBrokerModule } from './redis-broker.module.js';
import { sseModule } from './sse.module.js';
import { wsModule } from './ws.module.js';

export interface ContainerParts {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly jwtSecret: string;
}

/**
 * The composition root: the only place that knows which adapter serves which port. Configuration picks
 * the adapter modules; every registered feature adds its use cases.
 */
export function buildContainer(parts: ContainerParts): Services {
  const { config } = parts;
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(
    containerModule((r) => r.value(Ports.Logger, parts.logger)),
    // Signed one-click unsubscribe links: a key derived from the signing secret for that one purpose.
    containerModule((r) => r.value(HmacUnsubscribeTokens, new HmacUnsubscribeTokens(parts.jwtSecret))),
    coreModule(config),
    authModule(config, parts.jwtSecret),
    persistenceModule(config, parts.database),
    config.eventBus.kind === 'redis' ? redisBrokerModule(config.eventBus) : memoryBrokerModule(),
    sseModule(config),
    metricsModule(config, parts.database),
    hardeningModule(config),
    ...(config.transports.includes('ws') ? [wsModule()] : []),
    ...features.map((feature) => containerModule((r) => feature.register?.(r, config))),
    // Every feature's event handlers in one registry: the outbox writes their jobs, the worker runs them.
    containerModule((r) => r.provide(EventHandlerRegistry, (c) => new EventHandlerRegistry(features.flatMap((f) => f.handlers?.(c, config) ?? [])))),
    // Every feature's channel senders in one registry: the channel dispatch handlers send through it.
    containerModule((r) => r.provide(ChannelSenderRegistry, (c) => new ChannelSenderRegistry(features.flatMap((f) => f.channels?.(c, config) ?? [])))),
  );
  return servicesOf(container);
}
