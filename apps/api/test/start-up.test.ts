import { afterAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '@pushline/persistence-prisma/testing';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startApi } from '../src/server.js';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/test-api.js';

describe('configuration', () => {
  it('has working defaults: embedded database, demo users, port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', seedDemo: true, database: { dataDir: '.data' } });
    expect(config.database.url).toBeUndefined();
  });

  it('lists every bad variable by name', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', SSE_HEARTBEAT_MS: '-1' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT[\s\S]*DATABASE_URL: must be a postgresql:\/\/ URL[\s\S]*JWT_SECRET: must be at least 32 characters[\s\S]*SSE_HEARTBEAT_MS/);
  });

  it('takes a Redis Cluster from REDIS_CLUSTER_NODES, with sharded pub/sub unless told otherwise', () => {
    const cluster = loadConfig({ EVENT_BUS: 'redis', REDIS_CLUSTER_NODES: ' redis-a:7000, redis-b ' }).eventBus;
    expect(cluster).toMatchObject({ kind: 'redis', redis: { clusterNodes: ['redis-a:7000', 'redis-b'] }, pubSubMode: 'sharded' });
    expect(loadConfig({ EVENT_BUS: 'redis', REDIS_CLUSTER_NODES: 'redis-a:7000', REDIS_PUBSUB: 'plain' }).eventBus).toMatchObject({ pubSubMode: 'plain' });
    expect(loadConfig({ EVENT_BUS: 'redis' }).eventBus).toMatchObject({ redis: { url: 'redis://127.0.0.1:6379' }, pubSubMode: 'plain' });
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://a:7000' })).toThrow(/REDIS_CLUSTER_NODES: must be host:port,host:port/);
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/app' })).toThrow(/JWT_SECRET: required when NODE_ENV=production/);
  });
});

describe('start-up', () => {
  let running: TestApi | undefined;

  afterAll(async () => {
    await running?.stop();
  });

  it('fails cleanly when the port is taken, leaving the running instance untouched', async () => {
    running = await startTestApi();
    const database = await createTestDatabase('postgres');
    try {
      const config = loadConfig({ NODE_ENV: 'test', PORT: String(running.api.port), DATABASE_URL: database.url!, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' });
      await expect(startApi(config, { logger: createLogger(config) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect((await fetch(`${running.baseUrl}/health`)).status).toBe(200);
    } finally {
      await database.dispose();
    }
  });
});
