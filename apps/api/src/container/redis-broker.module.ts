import { RedisStreamBroker, type RedisTarget } from '@pushline/broker-redis';
import { StreamHub } from '@pushline/stream-engine';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';

export interface RedisBrokerSettings {
  readonly redis: RedisTarget;
  readonly keyPrefix: string;
  readonly shards: number;
  readonly pubSubMode: 'plain' | 'sharded';
}

/**
 * Many instances: every instance publishes what its outbox relay picks up, and every instance feeds
 * its own devices from Redis, subscribed only to the shards of the users it holds (the hub watches them). Whenever the subscription is (re)established, every device re-reads its
 * stream from its cursor, so what was published while this instance was cut off still arrives.
 */
export function redisBrokerModule(settings: RedisBrokerSettings) {
  return containerModule((r) => {
    r.provide(RedisStreamBroker, (c) => {
      const logger = c.get(Ports.Logger);
      // ioredis reports every failed reconnection attempt: warn once per outage, the rest at debug.
      let down = false;
      const broker = new RedisStreamBroker({
        ...settings.redis,
        keyPrefix: settings.keyPrefix,
        shards: settings.shards,
        pubSubMode: settings.pubSubMode,
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
    });
    r.alias(Ports.StreamFanOut, RedisStreamBroker);
    r.alias(Ports.StreamSubscriber, RedisStreamBroker);
    r.alias(Ports.StreamInterest, RedisStreamBroker);
    r.whenBuilt(StreamHub, (hub, c) => {
      const broker = c.get(RedisStreamBroker);
      broker.onSubscribed(() => hub.resyncAll());
      broker.onSessionRevoked((sessionId) => hub.closeSession(sessionId));
      broker.onUserRevoked((userId) => hub.closeUser(userId));
    });
  });
}
