import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { describeStreamBrokerContract, describeStreamInterestContract } from '@pushline/testing';
import type { PubSubMode } from './shard-subscriptions.js';
import { RedisStreamBroker } from './redis-stream-broker.js';
import { streamShardOf } from './stream-shard.js';
import { RedisServerProcess } from './testing/redis-server-process.js';

const SHARED_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHARDS = 64;

// Two brokers, as two API instances would have, on channels no other test run uses.
function twoInstances(pubSubMode: PubSubMode, onListenerError?: (error: unknown) => void) {
  const keyPrefix = `pushline-test:${randomUUID()}:`;
  const publisher = new RedisStreamBroker({ url: SHARED_REDIS, keyPrefix, shards: SHARDS, pubSubMode });
  const subscriber = new RedisStreamBroker({ url: SHARED_REDIS, keyPrefix, shards: SHARDS, pubSubMode, ...(onListenerError && { onListenerError }) });
  return {
    publisher,
    subscriber,
    interest: subscriber,
    settle: async () => {
      await Promise.all([publisher.whenConnected(), subscriber.whenConnected()]);
    },
    teardown: async () => {
      await Promise.all([publisher.close(), subscriber.close()]);
    },
  };
}

/** Two users on different shards. */
const APART: [string, string] = ['dave', ['erin', 'frank', 'grace', 'heidi'].find((u) => streamShardOf(u, SHARDS) !== streamShardOf('dave', SHARDS))!];

for (const mode of ['plain', 'sharded'] as const) {
  describeStreamBrokerContract(`RedisStreamBroker, ${mode} pub/sub`, ({ onListenerError }) => twoInstances(mode, onListenerError));
  describeStreamInterestContract(`RedisStreamBroker, ${mode} pub/sub`, () => twoInstances(mode), { apart: APART });
}

describe('RedisStreamBroker shards', () => {
  it('spreads users over the shards and always puts a user on the same one', () => {
    const users = Array.from({ length: 4000 }, (_, i) => `user-${i}`);
    const counts = new Array<number>(SHARDS).fill(0);
    for (const user of users) counts[streamShardOf(user, SHARDS)]! += 1;
    // 62.5 per shard on average; a hash this skewed would concentrate load on a few channels.
    expect(Math.min(...counts)).toBeGreaterThan(30);
    expect(Math.max(...counts)).toBeLessThan(100);
    expect(users.map((u) => streamShardOf(u, SHARDS))).toEqual(users.map((u) => streamShardOf(u, SHARDS)));
  });

  it('subscribes a shard with its first watched user and unsubscribes it after the last', async () => {
    const broker = twoInstances('plain');
    try {
      await broker.settle();
      const sameShard = ['u-0', ...Array.from({ length: 500 }, (_, i) => `u-${i + 1}`)].filter(
        (u) => streamShardOf(u, SHARDS) === streamShardOf('u-0', SHARDS),
      );
      const [first, second] = sameShard.slice(0, 2).map((u) => broker.subscriber.watch(u));
      await Promise.all([first!.ready, second!.ready]);
      expect(broker.subscriber.subscribedShards()).toBe(1);
      first!.release();
      expect(broker.subscriber.subscribedShards()).toBe(1);
      second!.release();
      expect(broker.subscriber.subscribedShards()).toBe(0);
    } finally {
      await broker.teardown();
    }
  });
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

  it('rejects publish while Redis is down, reconnects by itself, renews the shards and says when to resync', async () => {
    await broker.whenConnected();
    expect(broker.isConnected()).toBe(true);

    const disconnected = new Promise<void>((resolve) => broker.onDisconnected(resolve));
    await redis.stop();
    await disconnected;
    // Watched while Redis is down: ready at once (waiting is pointless), subscribed by the renewal.
    await broker.watch('alice').ready;
    // No offline queue: the relay must see the failure and keep its rows.
    await expect(broker.fanOut([entry(1)])).rejects.toThrow();
    expect(broker.isConnected()).toBe(false);
    await expect(broker.fanOut([entry(2)])).rejects.toThrow();

    const resubscribed = nextSubscription();
    await redis.start();
    await Promise.all([resubscribed, broker.whenConnected()]);

    const received: StreamEntry[] = [];
    expect(broker.subscribedShards()).toBe(1);
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
