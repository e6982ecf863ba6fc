import { Redis } from 'ioredis';

/** The cluster the tests use: `REDIS_CLUSTER_NODES` (set by .ci/lib/services.sh), else its default ports. */
export function testClusterNodes(): string[] {
  return (process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103').split(',');
}

/**
 * Asks a Redis Cluster where a channel lives and who listens to it there, straight from the nodes
 * (CLUSTER KEYSLOT, CLUSTER SLOTS, PUBSUB SHARDNUMSUB), not through the client under test.
 */
export class RedisClusterProbe {
  private readonly connections = new Map<string, Redis>();

  constructor(private readonly seeds: readonly string[]) {}

  /** `host:port` of the master serving the channel's slot. */
  async nodeOf(channel: string): Promise<string> {
    const seed = this.connection(this.seeds[0]!);
    const slot = Number(await seed.call('CLUSTER', 'KEYSLOT', channel));
    const ranges = (await seed.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no node serves slot ${slot}`);
    return `${range[2][0]}:${range[2][1]}`;
  }

  /** Sharded subscribers of the channel on the node that serves it. */
  async shardSubscribers(channel: string): Promise<number> {
    const [, count] = (await this.connection(await this.nodeOf(channel)).call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number];
    return Number(count);
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.quit().catch(() => c.disconnect())));
  }

  private connection(node: string): Redis {
    let connection = this.connections.get(node);
    if (!connection) {
      const [host, port] = node.split(':');
      connection = new Redis({ host: host!, port: Number(port) });
      this.connections.set(node, connection);
    }
    return connection;
  }
}
