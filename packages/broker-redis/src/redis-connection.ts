import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * Where Redis is: one server (`url`), or a Redis Cluster (`clusterNodes`: a few `host:port` seeds,
 * the client discovers the other nodes and which slots each serves).
 */
export type RedisTarget = { readonly url: string } | { readonly clusterNodes: readonly string[] };

/** One server's connection or a cluster's: they take the same commands. */
export type RedisConnection = Redis | Cluster;

/** Per-connection settings for both kinds; `retryStrategy` becomes the cluster's `clusterRetryStrategy`. */
export interface RedisConnectionOptions extends Omit<RedisOptions, 'retryStrategy'> {
  readonly retryStrategy?: (times: number) => number | null;
  /** Cluster only: also route `SSUBSCRIBE` to the node serving each channel's slot (ioredis `shardedSubscribers`). */
  readonly shardedSubscribers?: boolean;
}

export function isCluster(target: RedisTarget): target is { readonly clusterNodes: readonly string[] } {
  return 'clusterNodes' in target;
}

/** Parses `host:port,host:port` (a bare host means port 6379); throws naming what is wrong. */
export function parseClusterNodes(list: string): string[] {
  const nodes = list
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  if (nodes.length === 0) throw new RangeError('name at least one host:port');
  for (const node of nodes) {
    if (!/^[^\s:/]+(:\d{1,5})?$/.test(node)) throw new RangeError(`"${node}" is not host:port`);
  }
  return nodes;
}

export function connectRedis(target: RedisTarget, options: RedisConnectionOptions): RedisConnection {
  const { retryStrategy, shardedSubscribers, enableOfflineQueue, ...perNode } = options;
  if (!isCluster(target)) return new Redis(target.url, { ...perNode, ...(retryStrategy && { retryStrategy }), ...(enableOfflineQueue !== undefined && { enableOfflineQueue }) });
  const clusterOptions: ClusterOptions = {
    redisOptions: perNode,
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    ...(retryStrategy && { clusterRetryStrategy: retryStrategy }),
    ...(shardedSubscribers && { shardedSubscribers }),
  };
  return new Cluster(
    target.clusterNodes.map((node) => {
      const [host, port] = node.split(':');
      return { host: host!, port: Number(port ?? 6379) };
    }),
    clusterOptions,
  );
}
