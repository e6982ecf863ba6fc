import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegisterUser, StreamHub } from '@pushline/application';
import type { RedisStreamBroker } from '@pushline/broker-redis';
import type { WsDeliveryAdapter } from '@pushline/delivery-ws';
import { applyMigrations, createDatabase, type Database, type OutboxRelay } from '@pushline/persistence-prisma';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { buildContainer } from './container/build-container.js';
import { seedDemoUsers } from './demo-users.js';
import { loadOrCreateDevSecret } from './dev-secret.js';
import type { RetentionJob } from './jobs/retention-job.js';
import { createHttpApp } from './http/create-http-app.js';
import { createLogger } from './logger.js';
import { PLATFORM } from './platform.tokens.js';
import { TOKENS } from './tokens.js';

export interface RunningApi {
  readonly url: string;
  readonly port: number;
  readonly container: Container;
  readonly database: Database;
  /**
   * Graceful stop: refuse new work, tell open streams to reconnect elsewhere, let the relay publish
   * what is committed, close the database. Connections still open at the deadline are cut.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
}

export async function startApi(config: Config, options: StartOptions = {}): Promise<RunningApi> {
  const logger = options.logger ?? createLogger(config);
  const database = await createDatabase(config.database);
  // What has been started so far, stopped in reverse if start-up fails half-way (e.g. the port is taken).
  const started: (() => Promise<void>)[] = [];
  try {
    await applyMigrations(database);
    const jwtSecret = config.jwt.secret ?? (await loadOrCreateDevSecret(config.database.dataDir));
    const container = buildContainer({ config, logger, database, jwtSecret });
    if (config.seedDemo) await seedDemoUsers(container.get(PLATFORM.TenantRepository), container.get<RegisterUser>(TOKENS.RegisterUser));

    const hub = container.get<StreamHub>(TOKENS.StreamHub);
    const relay = container.get<OutboxRelay>(TOKENS.OutboxRelay);
    hub.start();
    started.push(async () => hub.shutdown());
    relay.start();
    started.push(() => relay.stop());
    const retentionJob = container.get<RetentionJob>(TOKENS.RetentionJob);
    retentionJob.start();
    started.push(() => retentionJob.stop());

    let draining = false;
    const redis = container.isBound(TOKENS.RedisStreamBroker) ? container.get<RedisStreamBroker>(TOKENS.RedisStreamBroker) : undefined;
    if (redis) started.push(() => redis.close());
    const app = createHttpApp(container, {
      // The database is checked once, among the dependencies; this only says whether we are draining.
      isReady: async () => !draining,
      dependencies: async () => ({ database: await database.ping().catch(() => false), ...(redis && { redis: redis.isConnected() }) }),
      ...(redis && {
        onLoggedOut: (sessionId: string) =>
          void redis.broadcastSessionRevoked(sessionId).catch((err: unknown) => logger.warn({ err, sessionId }, 'logout not broadcast to other instances')),
        onUserRevoked: (userId: string) =>
          void redis.broadcastUserRevoked(userId).catch((err: unknown) => logger.warn({ err, userId }, 'user revocation not broadcast to other instances')),
      }),
    });
    const server = createServer(app);
    // Streams are long-lived: neither the request timeout nor the keep-alive timeout may cut them.
    server.requestTimeout = 0;
    server.headersTimeout = 10_000;
    // server.close() only drops connections idle at that moment; a stream ended by shutdown leaves a
    // keep-alive connection that would hold the exit until the deadline. Drop it once its response is done.
    server.on('request', (_req, res) => res.once('finish', () => draining && setImmediate(() => server.closeIdleConnections())));
    const ws = config.transports.includes('ws') ? container.get<WsDeliveryAdapter>(TOKENS.WsDelivery) : undefined;
    ws?.attach(server);
    await listen(server, config.port, config.host);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

    const close = async (): Promise<void> => {
      if (draining) return;
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      hub.shutdown();
      // Upgraded sockets are no longer the http server's: they end with their close handshake (1012).
      const wsClosed = ws?.close(config.shutdownTimeoutMs);
      const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      deadline.unref();
      await relay.stop();
      await redis?.close();
      await retentionJob.stop();
      await Promise.all([closed, wsClosed]);
      clearTimeout(deadline);
      await database.dispose();
    };
    return { url, port, container, database, close };
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    await database.dispose();
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
