import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { testClusterNodes } from '@pushline/broker-redis/testing';
import type { Options } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { redisRateLimitStores } from '../../src/http/rate-limits.js';

/** The rate-limit counters on a Redis Cluster: each key counted on its own node, scripts reloaded where missing. */
describe('rate-limit counters on a Redis Cluster', () => {
  const cluster = testClusterNodes();
  const errors: unknown[] = [];
  const stores = redisRateLimitStores({ redis: { clusterNodes: cluster }, keyPrefix: `pushline-test:${randomUUID()}:` }, (err) => errors.push(err));

  afterAll(() => stores.close());

  it('counts per key on every node, also after the nodes forgot the scripts', async () => {
    await stores.whenConnected();
    const store = stores.store('login-ip')!;
    await store.init?.({ windowMs: 60_000 } as Options);
    const keys = Array.from({ length: 12 }, (_, i) => `client-${i}`);
    for (const key of keys) expect((await store.increment(key)).totalHits).toBe(1);
    for (const node of cluster) {
      const [host, port] = node.split(':');
      const connection = new Redis({ host: host!, port: Number(port) });
      await connection.call('SCRIPT', 'FLUSH');
      await connection.quit();
    }
    for (const key of keys) expect((await store.increment(key)).totalHits).toBe(2);
    expect((await store.get!(keys[0]!))?.totalHits).toBe(2);
  });
});
