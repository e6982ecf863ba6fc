import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { brokerTestEntry as entry, describeStreamBrokerContract, describeStreamInterestContract } from '@pushline/testing';
import { RedisStreamBroker } from './redis-stream-broker.js';
import { streamShardOf } from './stream-shard.js';
import { RedisClusterProbe, testClusterNodes } from './testing/redis-cluster-probe.js';
import { RedisClusterProcess } from './testing/redis-cluster-process.js';

// The local cluster .ci/lib/services.sh starts (pushline_ensure_redis_cluster): three masters.
const CLUSTER = testClusterNodes();
const SHARDS = 64;

function twoInstances(onListenerError?: (error: unknown) => void) {
  const keyPrefix = `pushline-test:${randomUUID()}:`;
  const options = { clusterNodes: CLUSTER, keyPrefix, shards: SHARDS };
  const publisher = new RedisStreamBroker(options);
  const subscriber = new RedisStreamBroker({ ...options, ...(onListenerError && { onListenerError }) });
  return {
    publisher,
    subscriber,
    interest: subscriber,
    settle: () => Promise.all([publisher.whenConnected(), subscriber.whenConnected()]).then(() => {}),
    teardown: () => Promise.all([publisher.close(), subscriber.close()]).then(() => {}),
  };
}

const usersOnShards = Array.from({ length: 400 }, (_, i) => `user-${i}`);
/** Two users on different shards (their channels may live on different nodes; the test below pins one node). */
const APART: [string, string] = ['dave', usersOnShards.find((u) => streamShardOf(u, SHARDS) !== streamShardOf('dave', SHARDS))!];

describeStreamBrokerContract('RedisStreamBroker on a Redis Cluster', ({ onListenerError }) => twoInstances(onListenerError));
describeStreamInterestContract('RedisStreamBroker on a Redis Cluster', () => twoInstances(), { apart: APART });

describe('RedisStreamBroker on a Redis Cluster, per-shard channels', () => {
  let probe: RedisClusterProbe;
  let broker: ReturnType<typeof twoInstances>;
  /** Each user's shard channel and the node serving it. */
  let placed: { user: string; channel: string; node: string }[];

  beforeAll(async () => {
    probe = new RedisClusterProbe(CLUSTER);
    broker = twoInstances();
    await broker.settle();
    const oneUserPerShard = [...new Map(usersOnShards.map((u) => [streamShardOf(u, SHARDS), u])).values()];
    placed = await Promise.all(
      oneUserPerShard.map(async (user) => {
        const channel = broker.subscriber.channelOf(broker.subscriber.shardOf(user));
        return { user, channel, node: await probe.nodeOf(channel) };
      }),
    );
  });

  afterAll(async () => {
    await broker?.teardown();
    await probe?.close();
  });

  it('spreads the shard channels over every master', () => {
    expect(new Set(placed.map((p) => p.node)).size).toBe(CLUSTER.length);
  });

  it("subscribes only the watched shard, on its node, and never receives another shard's entries", async () => {
    // Two shards served by one node: the other shard's entry travels the same connections ahead of the sentinel.
    const x = placed[0]!;
    const y = placed.find((p) => p.node === x.node && p.channel !== x.channel)!;
    const received: StreamEntry[] = [];
    const sentinel = new Promise<void>((resolve) =>
      broker.subscriber.subscribe((e) => {
        received.push(e);
        if (e.cursor === 2) resolve();
      }),
    );
    const lease = broker.subscriber.watch(x.user);
    try {
      await lease.ready;
      expect(await probe.shardSubscribers(x.channel)).toBe(1);
      expect(await probe.shardSubscribers(y.channel)).toBe(0);
      await broker.publisher.fanOut([entry(y.user, 1)]);
      await broker.publisher.fanOut([entry(x.user, 2)]);
      await sentinel;
      expect(received.map((e) => [e.userId, e.cursor])).toEqual([[x.user, 2]]);
    } finally {
      lease.release();
    }
  });

  it('receives the watched users of every node', async () => {
    const onePerNode = [...new Map(placed.map((p) => [p.node, p])).values()];
    const arrived = new Map<string, number>();
    const all = new Promise<void>((resolve) =>
      broker.subscriber.subscribe((e) => {
        arrived.set(e.userId, e.cursor);
        if (arrived.size === onePerNode.length) resolve();
      }),
    );
    const leases = onePerNode.map((p) => broker.subscriber.watch(p.user));
    try {
      await Promise.all(leases.map((l) => l.ready));
      await broker.publisher.fanOut(onePerNode.map((p, i) => entry(p.user, i + 1)));
      await all;
      expect([...arrived.keys()].sort()).toEqual(onePerNode.map((p) => p.user).sort());
    } finally {
      for (const l of leases) l.release();
    }
  });

  it('carries logouts to every instance over the cluster bus', async () => {
    const heard = [broker.publisher, broker.subscriber].map((b) => new Promise<string>((resolve) => b.onSessionRevoked(resolve)));
    await broker.publisher.broadcastSessionRevoked('session-1');
    expect(await Promise.all(heard)).toEqual(['session-1', 'session-1']);
  });
});

describe('RedisStreamBroker on a Redis Cluster when the node of a watched shard goes away', () => {
  let cluster: RedisClusterProcess;
  let probe: RedisClusterProbe;
  let broker: RedisStreamBroker;

  beforeAll(async () => {
    cluster = await RedisClusterProcess.start(3);
    probe = new RedisClusterProbe(cluster.seeds);
    broker = new RedisStreamBroker({ clusterNodes: cluster.seeds, keyPrefix: 'fault:', shards: SHARDS });
  }, 30_000);

  afterAll(async () => {
    await broker?.close();
    await probe?.close();
    await cluster?.stop();
  });

  it('subscribes the shard again once the node is back, says when to resync, and delivers again', async () => {
    await broker.whenConnected();
    await broker.watch('alice').ready;
    const node = await probe.nodeOf(broker.channelOf(broker.shardOf('alice')));
    const served = cluster.nodes.find((n) => node.endsWith(`:${n.port}`))!;
    const resynced = new Promise<void>((resolve) => broker.onSubscribed(resolve));

    await served.stop();
    await served.start();
    await cluster.whenOk();
    await resynced;

    expect(await probe.shardSubscribers(broker.channelOf(broker.shardOf('alice')))).toBe(1);
    const arrived = new Promise<StreamEntry>((resolve) => broker.subscribe(resolve));
    await broker.fanOut([entry('alice', 7)]);
    expect((await arrived).cursor).toBe(7);
  }, 60_000);
});
