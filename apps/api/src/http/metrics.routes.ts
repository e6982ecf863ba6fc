import type { PrometheusHttpMetrics } from '@pushline/metrics-prometheus';
import { Router, type Request, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { hasBearerToken } from './bearer-token.js';
import { sendError } from './errors.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Counts every request under its express route pattern (`/api/v1/notifications/:id`), never the raw
 * path; requests no route matched share `unmatched`, so scanners cannot create series.
 */
export function httpMetrics(metrics: PrometheusHttpMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    captureRoutePattern(req);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(req.method, (req as PatternCarrier)[PATTERN] ?? 'unmatched', res.statusCode, seconds);
    });
    next();
  };
}

const PATTERN = Symbol('pushline.routePattern');
const ROUTE = Symbol('pushline.route');
interface PatternCarrier {
  [PATTERN]?: string;
  [ROUTE]?: unknown;
}
const patched = new WeakSet<object>();

/**
 * Records `baseUrl + route.path` the moment express matches a route. Reading it when the response
 * ends is too late: a route that fails (`next(err)`) leaves its router, and express has restored
 * `baseUrl` to the parent's by then. The accessor sits once on the app's request prototype, not on
 * each request: a per-request accessor gave every request (every open stream) its own hidden class
 * and closures, about 3 KiB each.
 */
function captureRoutePattern(req: Request): void {
  const proto = Object.getPrototypeOf(req) as object;
  if (patched.has(proto)) return;
  patched.add(proto);
  Object.defineProperty(proto, 'route', {
    configurable: true,
    enumerable: true,
    get(this: PatternCarrier) {
      return this[ROUTE];
    },
    set(this: PatternCarrier & Request, value: { path?: unknown } | undefined) {
      this[ROUTE] = value;
      if (typeof value?.path === 'string') this[PATTERN] = `${this.baseUrl}${value.path}`;
    },
  });
}

export interface MetricsRoutesDeps {
  readonly registry: Registry;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`; when unset, only loopback may scrape. */
  readonly token?: string;
}

/** `GET /metrics` in the Prometheus text format. */
export function metricsRoutes(deps: MetricsRoutesDeps): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (deps.token !== undefined) {
      if (!hasBearerToken(req, deps.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        sendError(res, 401, 'unauthenticated', 'metrics need the METRICS_TOKEN bearer token');
        return;
      }
    } else if (!LOOPBACK.has(req.socket.remoteAddress ?? '') || req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined) {
      // The TCP peer decides, whatever TRUST_PROXY says; a scrape a local proxy relays from outside
      // (it says so in X-Forwarded-For / Forwarded) is refused too.
      sendError(res, 403, 'forbidden', 'metrics are served to loopback only; set METRICS_TOKEN to scrape remotely');
      return;
    }
    res.setHeader('Content-Type', deps.registry.contentType);
    res.send(await deps.registry.metrics());
  });
  return router;
}
