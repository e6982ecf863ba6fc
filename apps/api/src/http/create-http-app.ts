import { randomUUID } from 'node:crypto';
import type { Authenticate, ChangeNotificationStatus, CreateNotification, GetCurrentUser, ListNotifications, LogIn, LogOut, RefreshToken, StreamHub } from '@pushline/application';
import type { SseDeliveryAdapter } from '@pushline/delivery-sse';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { adminRoutes } from './admin.routes.js';
import { authRoutes } from './auth.routes.js';
import { requireAuth } from './authenticate.middleware.js';
import type { UnauthenticatedConnectionCap } from './connection-cap.js';
import { errorHandler, sendError } from './errors.js';
import { eventDocsRoutes } from './event-docs.routes.js';
import { eventsRoutes } from './events.routes.js';
import { guardQuery } from './input-guard.js';
import { httpMetrics, metricsRoutes } from './metrics.routes.js';
import { notificationRoutes } from './notification.routes.js';
import { requireAllowedOriginForWrites, type OriginPolicy } from './origin-policy.js';
import { presenceRoutes } from './presence.routes.js';
import { loginRateLimits, writeRateLimit, type RateLimitStores } from './rate-limits.js';
import { redactQuery, redactUrl } from './redact-url.js';
import { responseHeaders } from './response-headers.middleware.js';
import { streamRoutes } from './stream.routes.js';
import { webPage } from './web-page.middleware.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface HttpAppHooks {
  /** Whether the instance should receive traffic (false while starting or draining). */
  readonly isReady: () => Promise<boolean>;
  /** Dependencies `/ready` reports by name (true = up); any one down makes it 503 `degraded`. */
  readonly dependencies?: () => Promise<Record<string, boolean>>;
  /** After a logout closed the session's streams here: tell the other instances to close theirs. */
  readonly onLoggedOut?: (sessionId: string) => void;
}

/** The express application: routes resolve their use cases from the container once, at build time. */
export function createHttpApp(container: Container, hooks: HttpAppHooks): Express {
  const config = container.get<Config>(TOKENS.Config);
  const logger = container.get<Logger>(TOKENS.Logger);
  const hub = container.get<StreamHub>(TOKENS.StreamHub);
  const connections = container.get<UnauthenticatedConnectionCap>(TOKENS.ConnectionCap);
  const auth = requireAuth(container.get<Authenticate>(TOKENS.Authenticate), (socket) => connections.authenticated(socket));
  const rateLimitStores = container.get<RateLimitStores>(TOKENS.RateLimitStores);
  const onRateLimitStoreError = (err: unknown) => logger.warn({ err }, 'rate-limit store failed; request let through');
  const writeLimit = writeRateLimit(config, rateLimitStores, onRateLimitStoreError);

  const app = express();
  // First, so every request is counted, including those answered by middleware below.
  app.use(httpMetrics(container.get(TOKENS.HttpMetrics)));
  app.disable('x-powered-by');
  // Off unless TRUST_PROXY names the proxies: X-Forwarded-For from anyone else is ignored.
  app.set('trust proxy', config.trustProxy === false || typeof config.trustProxy === 'number' ? config.trustProxy : [...config.trustProxy]);
  app.use(responseHeaders());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Streams stay open for hours: log them when they end like any request, but quietly.
      // Tokens in a URL (`?access_token=`) must not reach the log with req.url or req.query.
      serializers: { req: (req: { url?: string; query?: unknown }) => ({ ...req, url: redactUrl(req.url), query: redactQuery(req.query) }) },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use(express.json({ limit: '32kb' }));
  app.use(cookieParser());
  app.use(requireAllowedOriginForWrites(container.get<OriginPolicy>(TOKENS.OriginPolicy)));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const ready = await hooks.isReady().catch(() => false);
    const dependencies = (await hooks.dependencies?.().catch(() => undefined)) ?? {};
    const degraded = Object.values(dependencies).some((up) => !up);
    const status = !ready ? 'unavailable' : degraded ? 'degraded' : 'ready';
    const checks = Object.fromEntries(Object.entries(dependencies).map(([name, up]) => [name, up ? 'up' : 'down']));
    res.status(status === 'ready' ? 200 : 503).json({ status, ...(hooks.dependencies && { checks }) });
  });

  app.use(eventDocsRoutes());
  app.use(metricsRoutes({ registry: container.get(TOKENS.MetricsRegistry), ...(config.ops.metricsToken && { token: config.ops.metricsToken }) }));
  app.use(
    '/api/v1',
    adminRoutes({ hub, instanceId: config.ops.instanceId, startedAt: new Date(), ...(config.ops.adminToken && { token: config.ops.adminToken }) }),
  );

  const api = express.Router();
  api.use(guardQuery());
  api.use(
    authRoutes({
      logIn: container.get<LogIn>(TOKENS.LogIn),
      logOut: container.get<LogOut>(TOKENS.LogOut),
      refreshToken: container.get<RefreshToken>(TOKENS.RefreshToken),
      getCurrentUser: container.get<GetCurrentUser>(TOKENS.GetCurrentUser),
      requireAuth: auth,
      loginRateLimits: loginRateLimits(config, rateLimitStores, onRateLimitStoreError),
      cookieSecure: config.cookieSecure,
      onLoggedOut: (sessionId) => {
        hub.closeSession(sessionId);
        hooks.onLoggedOut?.(sessionId);
      },
    }),
  );
  api.use(
    notificationRoutes({
      createNotification: container.get<CreateNotification>(TOKENS.CreateNotification),
      changeStatus: container.get<ChangeNotificationStatus>(TOKENS.ChangeNotificationStatus),
      listNotifications: container.get<ListNotifications>(TOKENS.ListNotifications),
      requireAuth: auth,
      writeRateLimit: writeLimit,
    }),
  );
  api.use(presenceRoutes({ reportTyping: container.get(TOKENS.ReportTyping), requireAuth: auth, writeRateLimit: writeLimit }));
  if (config.transports.includes('sse')) api.use(streamRoutes({ sse: container.get<SseDeliveryAdapter>(TOKENS.SseDelivery), hub, requireAuth: auth }));
  api.use(eventsRoutes({ eventLog: container.get(TOKENS.EventLog), requireAuth: auth }));
  app.use('/api/v1', api);
  app.use(webPage());

  app.use((req, res) => sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));
  app.use(errorHandler(logger));
  return app;
}
