import type { StreamHub } from '@pushline/application';
import { RedisStreamBroker } from '@pushline/broker-redis';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { TOKENS } from '../tokens.js';

export interface RedisBrokerSettings {
  readonly redisUrl: string;
  readonly keyPrefix: string;
}

/**
 * Many instances: every instance publishes what its outbox relay picks up, and every instance feeds
 * its own devices from Redis. Whenever the subscription is (re)established, every device re-reads its
 * stream from its cursor, so what was published while this instance was cut off still arrives.
 */
export function redisBrokerModule(settings: RedisBrokerSettings): ContainerModule {
  return new ContainerModule(({ bind, onActivation }) => {
    bind(TOKENS.RedisStreamBroker)
      .toDynamicValue((c) => {
        const logger = c.get<Logger>(TOKENS.Logger);
        // ioredis reports every failed reconnection attempt: warn once per outage, the rest at debug.
        let down = false;
        const broker = new RedisStreamBroker({
          url: settings.redisUrl,
          keyPrefix: settings.keyPrefix,
          onListenerError: (err) => logger.error({ err }, 'stream listener failed'),
          onError: (err) => (down ? logger.debug({ err }, 'redis stream broker error') : logger.warn({ err }, 'redis stream broker error')),
        });
        broker.onDisconnected(() => {
          if (!down) logger.warn('lost Redis: publishing waits in the outbox, devices resync once it is back');
          down = true;
        });
        broker.onSubscribed(() => {
          if (down) logger.info('Redis stream subscription restored');
          down = false;
        });
        return broker;
      })
      .inSingletonScope();
    bind(TOKENS.StreamPublisher).toService(TOKENS.RedisStreamBroker);
    bind(TOKENS.StreamSubscriber).toService(TOKENS.RedisStreamBroker);
    onActivation<StreamHub>(TOKENS.StreamHub, (c, hub) => {
      const broker = c.get<RedisStreamBroker>(TOKENS.RedisStreamBroker);
      broker.onSubscribed(() => hub.resyncAll());
      broker.onSessionRevoked((sessionId) => hub.closeSession(sessionId));
      broker.onUserRevoked((userId) => hub.closeUser(userId));
      return hub;
    });
  });
}
