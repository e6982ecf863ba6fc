import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { EVERY_USER_INTEREST } from '@pushline/domain';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';

/** One instance: the outbox relay hands entries straight to this process's devices. */
export function memoryBrokerModule() {
  return containerModule((r) => {
    r.provide(InMemoryStreamBroker, (c) => {
      const logger = c.get(Ports.Logger);
      return new InMemoryStreamBroker((err) => logger.error({ err }, 'stream listener failed'));
    });
    r.alias(Ports.StreamFanOut, InMemoryStreamBroker);
    r.alias(Ports.StreamSubscriber, InMemoryStreamBroker);
    // Every entry of this process reaches every listener: no user needs subscribing.
    r.value(Ports.StreamInterest, EVERY_USER_INTEREST);
  });
}
