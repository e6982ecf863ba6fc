import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { TOKENS } from '../tokens.js';

/** One instance: the outbox relay hands entries straight to this process's devices. */
export function memoryBrokerModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.StreamPublisher)
      .toDynamicValue((c) => {
        const logger = c.get<Logger>(TOKENS.Logger);
        return new InMemoryStreamBroker((err) => logger.error({ err }, 'stream listener failed'));
      })
      .inSingletonScope();
    bind(TOKENS.StreamSubscriber).toService(TOKENS.StreamPublisher);
  });
}
