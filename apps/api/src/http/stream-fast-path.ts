import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Authenticate } from '@pushline/application';
import type { SseDeliveryAdapter } from '@pushline/delivery-sse';
import type { PrometheusHttpMetrics } from '@pushline/metrics-prometheus';
import type { Logger } from 'pino';
import { answerErrorRaw } from './errors.js';
import { requestIdOf } from './request-id.js';
import { rawDeviceIdOf } from './request-context.js';
import { responseHeadersFor, setHeaders } from './response-headers.middleware.js';
import type { StreamOpenShedder } from './stream-open-shedder.js';
import { isStreamPath, logEnded } from './request-log.js';
import { resumePositionFrom, streamRequestOf } from './stream.routes.js';
import { forgetCredentials, rawRequestTokenOf, singleQueryOf } from './ws-upgrade-request.js';

/** The express route pattern the HTTP metrics count stream opens under. */
const STREAM_ROUTE = '/api/v1/stream';

/** A raw request handler served ahead of express: true when it took the request. */
export type RawRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A connect-style middleware on raw node:http objects (the `cors` package is one). */
export type RawMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface StreamFastPathDeps {
  readonly sse: SseDeliveryAdapter;
  readonly authenticate: Authenticate;
  readonly metrics: PrometheusHttpMetrics;
  readonly logger: Logger;
  /** The same shedder the express route admits through (one pending bound). */
  readonly shedder: StreamOpenShedder;
  /** The CORS middleware of `/api` when CORS_ORIGINS is set; on a GET it only sets headers. */
  readonly cors?: RawMiddleware;
  /** The unauthenticated-connection cap learns the connection carried a valid token. */
  readonly onAuthenticated?: (socket: Socket) => void;
}

/**
 * `GET /api/v1/stream` on the node:http request event, ahead of express. A stream lives for hours:
 * express's request and response decorations (their own hidden classes, the router chain, each
 * middleware's state) cost memory per connection and CPU per open (docs/benchmarks.md §5, §6). The
 * behaviour is the express route's, middleware by middleware (create-http-app.ts): metrics under the
 * route pattern, the common headers, the request id and one line when it ends, CORS, the query guard,
 * the open shedder, bearer-or-cookie auth, the cursor rules and the JSON errors. Any other method or
 * path (HEAD, OPTIONS preflights, other spellings) returns false and goes to express unchanged.
 */
export function streamFastPath(deps: StreamFastPathDeps): RawRoute {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const path = pathOf(req.url);
    if (!isStreamPath(path)) return false;
    // httpMetrics(): a query refused by guardQuery() never reached the route, so it counts `unmatched`.
    const started = process.hrtime.bigint();
    let route = STREAM_ROUTE;
    const id = requestIdOf(req);
    // The common headers go out with the head (writeHead(status, headers)) instead of one setHeader
    // each: a response that had setHeader keeps a dictionary of [name, value] arrays for as long as it
    // lives, ~0.6 KiB per stream (docs/benchmarks.md §12). An error answer sets them as usual.
    const headers: Readonly<Record<string, string>> = { ...responseHeadersFor(path), 'X-Request-Id': id };
    const answerError = (error: unknown): void => {
      if (!res.headersSent) setHeaders(res, headers);
      answerErrorRaw(deps.logger, id, res, error);
    };
    // One listener for the metric and the line: a stream keeps its listeners for hours, and each
    // `once` costs a wrapper, a bound function and a closure (docs/benchmarks.md §12).
    res.on('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.observe('GET', route, res.statusCode, seconds);
      logEnded(deps.logger, id, 'GET', path, res.statusCode, seconds * 1000);
    });
    const serve = (): void => {
      let query: Record<string, string>;
      try {
        query = singleQueryOf(req);
      } catch (error) {
        route = 'unmatched';
        return answerError(error);
      }
      if (!deps.shedder.tryAdmit(res, headers)) return;
      open(deps, req, res, query, headers).then(
        () => deps.shedder.started(res),
        (error: unknown) => {
          deps.shedder.started(res);
          answerError(error);
        },
      );
    };
    if (deps.cors) deps.cors(req, res, serve);
    else serve();
    return true;
  };
}

async function open(deps: StreamFastPathDeps, req: IncomingMessage, res: ServerResponse, query: Record<string, string>, headers: Readonly<Record<string, string>>): Promise<void> {
  const claims = await deps.authenticate.execute(rawRequestTokenOf(req));
  forgetCredentials(req);
  deps.onAuthenticated?.(req.socket);
  const deviceId = rawDeviceIdOf(req, query);
  const lastEventId = req.headers['last-event-id'];
  const position = resumePositionFrom(typeof lastEventId === 'string' ? lastEventId : undefined, query.lastEventId);
  await deps.sse.stream(req, res, streamRequestOf(claims, deviceId, position, query.types, query.excludeOwn), headers);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const mark = raw.indexOf('?');
  return mark < 0 ? raw : raw.slice(0, mark);
}
