import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Authenticate } from '@pushline/application';
import { PrometheusHttpMetrics } from '@pushline/metrics-prometheus';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { HttpAppHooks, HttpContext } from '../composition/feature.js';
import { features } from '../composition/features.js';
import { corsFor } from './cors.middleware.js';
import { Ports } from '../composition/ports.js';
import type { Services } from '../composition/typed-container.js';
import { requireAdmin } from './admin-auth.middleware.js';
import { requireAuth } from './authenticate.middleware.js';
import { clientSdk } from './client-sdk.middleware.js';
import { UnauthenticatedConnectionCap } from './connection-cap.js';
import { errorHandler, sendError } from './errors.js';
import { eventDocsRoutes } from './event-docs.routes.js';
import { enteredOnlyForItsPaths } from './feature-router-gate.js';
import { guardQuery } from './input-guard.js';
import { API_VERSION } from './openapi/api-version.js';
import { openApiRoutes } from './openapi/openapi.routes.js';
import { httpMetrics, metricsRoutes } from './metrics.routes.js';
import { OriginPolicy, requireAllowedOriginForWrites } from './origin-policy.js';
import { writeRateLimit } from './rate-limits.js';
import { redactQuery, redactUrl } from './redact-url.js';
import { genReqId } from './request-id.js';
import { responseHeaders } from './response-headers.middleware.js';
import { isStreamOpen, logStreamEnd, quietRequestLog, requestLevelOf, requestLine } from './request-log.js';
import { webPage } from './web-page.middleware.js';

export type { HttpAppHooks } from '../composition/feature.js';

/**
 * The express application: platform routes (health, readiness, metrics, event docs, the web page) and
 * every registered feature's routes under /api/v1. Routes resolve their use cases once, at build time.
 */
export function createHttpApp(services: Services, hooks: HttpAppHooks): Express {
  const config = services.get(Ports.Config);
  const logger = services.get(Ports.Logger);
  const connections = services.get(UnauthenticatedConnectionCap);
  const onRateLimitStoreError = (err: unknown) => logger.warn({ err }, 'rate-limit store failed; request let through');
  const connectionAuthenticated = (socket: Socket): void => connections.authenticated(socket);
  const http: HttpContext = {
    config,
    hooks,
    requireAuth: requireAuth(services.get(Authenticate), connectionAuthenticated),
    connectionAuthenticated,
    requireAdmin: requireAdmin(config.ops.adminToken, connectionAuthenticated),
    // One limiter for every write route, so the limit is per user, not per route.
    writeRateLimit: writeRateLimit(config, services.get(Ports.RateLimitStores), onRateLimitStoreError),
    onRateLimitStoreError,
  };

  const app = express();
  // First, so every request is counted, including those answered by middleware below.
  app.use(httpMetrics(services.get(PrometheusHttpMetrics)));
  app.disable('x-powered-by');
  // Off unless TRUST_PROXY names the proxies: X-Forwarded-For from anyone else is ignored.
  app.set('trust proxy', config.trustProxy === false || typeof config.trustProxy === 'number' ? config.trustProxy : [...config.trustProxy]);
  app.use(responseHeaders());
  const requestLogger = pinoHttp({
    logger,
    genReqId,
    // One short line per request; the query string stays out of the message (it may hold a token).
    customSuccessMessage: (req, res, responseTime) => requestLine(req.method, urlOf(req), res.statusCode, responseTime),
    customErrorMessage: (req, res) => requestLine(req.method, urlOf(req), res.statusCode),
    // Tokens in a URL (`?access_token=`) must not reach the log with req.url or req.query.
    serializers: { req: (req: { url?: string; query?: unknown }) => ({ ...req, url: redactUrl(req.url), query: redactQuery(req.query) }) },
    // Streams stay open for hours: log them when they end like any request, but quietly.
    customLogLevel: (_req, res, err) => (err ? 'error' : requestLevelOf(res.statusCode)),
  });
  // An open stream would keep pino-http's per-request child logger (a dozen bound functions and its
  // serialized bindings) alive for hours; streams get their id and one line when they end instead
  // (its path only: a query string may hold a token).
  // Above `info` only 4xx and 5xx lines are written: the quiet logger writes those without pino-http's
  // per-request cost (request-log.ts).
  const perRequest = logger.isLevelEnabled('info') ? requestLogger : quietRequestLog(logger, genReqId);
  app.use((req, res, next) => (isStreamOpen(req) ? logStreamEnd(logger, genReqId, req, res, next) : perRequest(req, res, next)));
  if (config.corsOrigins.length > 0) app.use('/api', corsFor(config.corsOrigins));
  // The publish API names up to 1,000 users per request; everything else stays small.
  app.use('/api/v1/apps', express.json({ limit: '256kb' }));
  app.use(express.json({ limit: '32kb' }));
  app.use(cookieParser());
  app.use(requireAllowedOriginForWrites(services.get(OriginPolicy)));

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
  app.use(openApiRoutes(API_VERSION));
  app.use(metricsRoutes({ registry: services.get(Ports.MetricsRegistry), ...(config.ops.metricsToken && { token: config.ops.metricsToken }) }));
  app.use('/api/v1', guardQuery());
  for (const feature of features) {
    if (feature.routes) app.use('/api/v1', enteredOnlyForItsPaths(feature.routes(services, http)));
  }
  app.use('/sdk', clientSdk());
  app.use(webPage());

  app.use((req, res) => sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));
  app.use(errorHandler(logger));
  return app;
}

/**
 * The server's request listener: each feature's routes served ahead of express (`Feature.serve`: the
 * SSE stream open), then the express app for everything they do not take.
 */
export function createRequestListener(services: Services, hooks: HttpAppHooks): (req: IncomingMessage, res: ServerResponse) => void {
  const app = createHttpApp(services, hooks);
  const config = services.get(Ports.Config);
  const ahead = features.flatMap((feature) => feature.serve?.(services, config) ?? []);
  if (ahead.length === 0) return app;
  return (req, res) => {
    for (const serve of ahead) if (serve(req, res)) return;
    app(req, res);
  };
}

/** Express rewrites `req.url` inside routers; the original is what the client asked for. */
function urlOf(req: { url?: string; originalUrl?: string }): string | undefined {
  return req.originalUrl ?? req.url;
}
