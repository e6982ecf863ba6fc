import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegisterUser } from '@pushline/application';
import { RedisStreamBroker } from '@pushline/broker-redis';
import { WsDeliveryAdapter } from '@pushline/delivery-ws';
import { PrometheusHttpMetrics } from '@pushline/metrics-prometheus';
import { applyMigrations, createDatabase, OutboxRelay, type Database } from '@pushline/persistence-prisma';
import { HttpWebhookSender } from '@pushline/webhook-http';
import { SmtpEmailSender } from '@pushline/email-nodemailer';
import { StreamHub } from '@pushline/stream-engine';
import type { Logger } from 'pino';
import type { Services } from './composition/typed-container.js';
import { Ports } from './composition/ports.js';
import type { Config } from './config.js';
import { buildContainer } from './container/build-container.js';
import { seedDemoUsers } from './demo-users.js';
import { loadOrCreateDevSecret } from './dev-secret.js';
import { ExpiryJob } from './jobs/expiry-job.js';
import { HandlerWorker } from './jobs/handler-worker.js';
import { ChannelWorker } from './jobs/channel-worker.js';
import { PublicUrl } from './public-url.js';
import { RetentionJob } from './jobs/retention-job.js';
import { UnauthenticatedConnectionCap } from './http/connection-cap.js';
import { createRequestListener } from './http/create-http-app.js';
import { hardenServer, serverOptions } from './http/server-hardening.js';
import { createLogger } from './logger.js';
import { WebhookWorker } from './jobs/webhook-worker.js';

export interface RunningApi {
  readonly url: string;
  readonly port: number;
  /** The typed container: tests reach adapters and use cases by their class or `Ports` token. */
  readonly services: Services;
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
    const services = buildContainer({ config, logger, database, jwtSecret });
    if (config.seedDemo) await seedDemoUsers(services.get(Ports.TenantRepository), services.get(RegisterUser));

    const hub = services.get(StreamHub);
    const relay = services.get(OutboxRelay);
    hub.start();
    started.push(async () => hub.shutdown());
    relay.start();
    started.push(() => relay.stop());
    const retentionJob = services.get(RetentionJob);
    retentionJob.start();
    started.push(() => retentionJob.stop());
    const webhookWorker = services.get(WebhookWorker);
    if (config.webhooks.worker) webhookWorker.start();
    started.push(() => webhookWorker.stop());
    const handlerWorker = services.get(HandlerWorker);
    handlerWorker.start();
    started.push(() => handlerWorker.stop());
    const expiryJob = services.get(ExpiryJob);
    expiryJob.start();
    started.push(() => expiryJob.stop());

    let draining = false;
    const redis = services.has(RedisStreamBroker) ? services.get(RedisStreamBroker) : undefined;
    if (redis) started.push(() => redis.close());
    const app = createRequestListener(services, {
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
    const rateLimitStores = services.get(Ports.RateLimitStores);
    started.push(() => rateLimitStores.close());
    const server = createServer(serverOptions(config), app);
    const httpMetrics = services.get(PrometheusHttpMetrics);
    hardenServer(server, config, (reason) => httpMetrics.refused(reason));
    services.get(UnauthenticatedConnectionCap).attach(server);
    // server.close() only drops connections idle at that moment; a stream ended by shutdown leaves a
    // keep-alive connection that would hold the exit until the deadline. Drop it once its response is done.
    // One listener shared by every response ('finish' fires once: no `once` wrapper kept per stream).
    const dropIdleWhenDraining = (): void => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    };
    server.on('request', (_req, res) => res.on('finish', dropIdleWhenDraining));
    const ws = config.transports.includes('ws') ? services.get(WsDeliveryAdapter) : undefined;
    ws?.attach(server);
    await listen(server, config.port, config.host, config.listenBacklog);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    // Links in emails need the address; the channel worker starts once it is known.
    services.get(PublicUrl).listeningOn(url);
    const channelWorker = services.get(ChannelWorker);
    if (config.channels.worker) channelWorker.start();
    started.push(() => channelWorker.stop());

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
      // Drain: no new webhook leases; attempts in flight finish (each is bounded by WEBHOOK_TIMEOUT_MS).
      await Promise.all([relay.stop(), webhookWorker.stop()]);
      services.get(HttpWebhookSender).close();
      await redis?.close();
      await rateLimitStores.close();
      await retentionJob.stop();
      await expiryJob.stop();
      await handlerWorker.stop();
      await channelWorker.stop();
      if (services.has(SmtpEmailSender)) services.get(SmtpEmailSender).close();
      await Promise.all([closed, wsClosed]);
      clearTimeout(deadline);
      await database.dispose();
    };
    return { url, port, services, database, close };
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    await database.dispose();
    throw error;
  }
}

function listen(server: Server, port: number, host: string, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, backlog, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
