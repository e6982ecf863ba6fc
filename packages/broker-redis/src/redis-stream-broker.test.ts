import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { describeStreamBrokerContract } from '@pushline/testing';
import { RedisStreamBroker } from './redis-stream-broker.js';
import { RedisServerProcess } from './testing/redis-server-process.js';

const SHARED_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two brokers, as two API instances would have, on a channel no other test run uses.
describeStreamBrokerContract('RedisStreamBroker', ({ onListenerError }) => {
  const keyPrefix = `pushline-test:${randomUUID()}:`;
  const publisher = new RedisStreamBroker({ url: SHARED_REDIS, keyPrefix });
  const subscriber = new RedisStreamBroker({ url: SHARED_REDIS, keyPrefix, onListenerError });
  return {
    publisher,
    subscriber,
    settle: async () => {
      await Promise.all([publisher.whenConnected(), subscriber.whenConnected()]);
    },
    teardown: async () => {
      await Promise.all([publisher.close(), subscriber.close()]);
    },
  };
});

describe('RedisStreamBroker session revocations', () => {
  it('reaches every instance, the sending one included', async () => {
    const keyPrefix = `pushline-test:${randomUUID()}:`;
    const [one, two] = [new RedisStreamBroker({ url: SHARED_REDIS, keyPrefix }), new RedisStreamBroker({ url: SHARED_REDIS, keyPrefix })];
    try {
      await Promise.all([one.whenConnected(), two.whenConnected()]);
      const heard = [one, two].map((broker) => new Promise<string>((resolve) => broker.onSessionRevoked(resolve)));
      await one.broadcastSessionRevoked('session-1');
      expect(await Promise.all(heard)).toEqual(['session-1', 'session-1']);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe('RedisStreamBroker when Redis goes away', () => {
  let redis: RedisServerProcess;
  let broker: RedisStreamBroker;
  const subscriptions: (() => void)[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    broker = new RedisStreamBroker({ url: redis.url, keyPrefix: 'fault:', onError: (error) => errors.push(error) });
    broker.onSubscribed(() => subscriptions.shift()?.());
  });

  afterAll(async () => {
    await broker?.close();
    await redis?.stop();
  });

  const nextSubscription = (): Promise<void> => new Promise((resolve) => subscriptions.push(resolve));

  it('rejects publish while Redis is down, reconnects by itself and says when to resync', async () => {
    await broker.whenConnected();
    expect(broker.isConnected()).toBe(true);

    const disconnected = new Promise<void>((resolve) => broker.onDisconnected(resolve));
    await redis.stop();
    await disconnected;
    // No offline queue: the relay must see the failure and keep its rows.
    await expect(broker.fanOut([entry(1)])).rejects.toThrow();
    expect(broker.isConnected()).toBe(false);
    await expect(broker.fanOut([entry(2)])).rejects.toThrow();

    const resubscribed = nextSubscription();
    await redis.start();
    await Promise.all([resubscribed, broker.whenConnected()]);

    const received: StreamEntry[] = [];
    const arrived = new Promise<void>((resolve) =>
      broker.subscribe((e) => {
        received.push(e);
        resolve();
      }),
    );
    await broker.fanOut([entry(3)]);
    await arrived;
    expect(received.map((e) => e.cursor)).toEqual([3]);
  });
});

function entry(cursor: number): StreamEntry {
  return {
    userId: 'alice',
    cursor,
    event: {
      specversion: '1.0',
      id: `e-${cursor}`,
      source: '/pushline/test',
      type: 'notification.read',
      dataversion: 1,
      time: '2026-01-01T00:00:00.000Z',
      subject: `n-${cursor}`,
      datacontenttype: 'application/json',
      data: { notificationId: `n-${cursor}` },
    },
  };
}
