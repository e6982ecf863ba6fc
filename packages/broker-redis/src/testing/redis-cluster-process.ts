import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, RedisServerProcess } from './redis-server-process.js';

/**
 * A throwaway Redis Cluster of `size` masters (no replicas) on free ports, for tests that cut a node
 * off: `nodes[i].stop()` kills one, `nodes[i].start()` brings it back with its cluster identity and
 * slots (its nodes.conf is kept). Needs `redis-server` and `redis-cli` on the PATH.
 */
export class RedisClusterProcess {
  private constructor(
    readonly nodes: readonly RedisServerProcess[],
    private readonly dir: string,
  ) {}

  /** `host:port` of every node. */
  get seeds(): string[] {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`);
  }

  static async start(size = 3): Promise<RedisClusterProcess> {
    const dir = await mkdtemp(path.join(tmpdir(), 'pushline-cluster-'));
    const nodes: RedisServerProcess[] = [];
    try {
      for (let i = 0; i < size; i++) {
        // The bus port is chosen too: the default (port + 10000) may be out of range for a free port.
        const busPort = await freePort();
        const args = ['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-config-file', path.join(dir, `nodes-${i}.conf`), '--dir', dir];
        nodes.push(await RedisServerProcess.start({ extraArgs: args }));
      }
      const cluster = new RedisClusterProcess(nodes, dir);
      await promisify(execFile)('redis-cli', ['--cluster', 'create', ...cluster.seeds, '--cluster-replicas', '0', '--cluster-yes']);
      await cluster.whenOk();
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Resolves once every node reports `cluster_state:ok` (after creation or a node's return). */
  async whenOk(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const node of this.nodes) {
      const connection = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50 });
      try {
        for (;;) {
          const info = (await connection.call('CLUSTER', 'INFO').catch(() => '')) as string;
          if (info.includes('cluster_state:ok')) break;
          if (Date.now() > deadline) throw new Error(`the cluster on ${this.seeds.join(',')} did not become ok`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        connection.disconnect();
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
