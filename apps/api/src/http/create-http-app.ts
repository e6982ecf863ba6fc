import { randomUUID } from 'node:crypto';
import type { Authenticate, ChangeNotificationStatus, CreateNotification, GetCurrentUser, ListNotifications, LogIn, LogOut, RefreshToken, StreamHub } from '@pushline/application';
import type { SseDeliveryAdapter } from '@pushline/delivery-sse';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { adminRoutes } from './admin.routes.js';
import { authRoutes } from './auth.routes.js';
import { requireAuth } from './authenticate.middleware.js';
import { errorHandler, sendError } from './errors.js';
import { eventDocsRoutes } from './event-docs.routes.js';
import { eventsRoutes } from './events.routes.js';
import { httpMetrics, metricsRoutes } from './metrics.routes.js';
import { notificationRoutes } from './notification.routes.js';
import { platformRoutes } from './platform.routes.js';
import { presenceRoutes } from './presence.routes.js';
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
  /** After an operator disabled or deleted a user and their streams closed here: tell the other instances. */
  readonly onUserRevoked?: (userId: string) => void;
}

/** The express application: routes resolve their use cases from the container once, at build time. */
export function createHttpApp(container: Container, hooks: HttpAppHooks): Express {
  const config = container.get<Config>(TOKENS.Config);
  const logger = container.get<Logger>(TOKENS.Logger);
  const hub = container.get<StreamHub>(TOKENS.StreamHub);
  const auth = requireAuth(container.get<Authenticate>(TOKENS.Authenticate));

  const app = express();
  // First, so every request is counted, including those answered by middleware below.
  app.use(httpMetrics(container.get(TOKENS.HttpMetrics)));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
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
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use(express.json({ limit: '32kb' }));
  app.use(cookieParser());

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

  app.use('/api/v1', platformRoutes(container, { hub, config, ...(hooks.onUserRevoked && { onUserRevoked: hooks.onUserRevoked }) }));

  const api = express.Router();
  api.use(
    authRoutes({
      logIn: container.get<LogIn>(TOKENS.LogIn),
      logOut: container.get<LogOut>(TOKENS.LogOut),
      refreshToken: container.get<RefreshToken>(TOKENS.RefreshToken),
      getCurrentUser: container.get<GetCurrentUser>(TOKENS.GetCurrentUser),
      requireAuth: auth,
      loginRateLimit: rateLimit({
        windowMs: 60_000,
        limit: config.loginRateLimitPerMinute,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        handler: (_req, res) => sendError(res, 429, 'rate_limited', 'too many login attempts; try again in a minute'),
      }),
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
    }),
  );
  api.use(presenceRoutes({ reportTyping: container.get(TOKENS.ReportTyping), requireAuth: auth }));
  if (config.transports.includes('sse')) api.use(streamRoutes({ sse: container.get<SseDeliveryAdapter>(TOKENS.SseDelivery), hub, requireAuth: auth }));
  api.use(eventsRoutes({ eventLog: container.get(TOKENS.EventLog), requireAuth: auth }));
  app.use('/api/v1', api);
  app.use(webPage());

  app.use((req, res) => sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));
  app.use(errorHandler(logger));
  return app;
}
