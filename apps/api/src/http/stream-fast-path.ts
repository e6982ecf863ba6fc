import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Authenticate } from '@pushline/application';
import type { SseDeliveryAdapter } from '@pushline/delivery-sse';
import { parseStreamPosition, type StreamPosition } from '@pushline/domain';
import type { PrometheusHttpMetrics } from '@pushline/metrics-prometheus';
import { EventTypeFilter } from '@pushline/stream-engine';
import type { Logger } from 'pino';
import { errorAnswerOf, INTERNAL_ERROR, type ErrorBody } from './errors.js';
import { validDeviceId } from './request-context.js';
import type { StreamOpenShedder } from './stream-open-shedder.js';
import { rawRequestTokenOf, singleQueryOf } from './ws-upgrade-request.js';

const STREAM_ROUTE = '/api/v1/stream';

export interface StreamFastPathDeps {
  readonly sse: SseDeliveryAdapter;
  readonly authenticate: Authenticate;
  readonly metrics: PrometheusHttpMetrics;
  readonly logger: Logger;
  /** The request id (sets `X-Request-Id`), as every other request gets it. */
  readonly genReqId: (req: IncomingMessage, res: ServerResponse) => string;
  readonly shedder: StreamOpenShedder;
  /** The CORS middleware of `/api`, when CORS_ORIGINS is set; it only sets headers on a GET. */
  readonly cors?: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  /** The unauthenticated-connection cap learns the connection carried a valid token. */
  readonly onAuthenticated?: (socket: Socket) => void;
}

/**
 * `GET /api/v1/stream` served on the node:http request event, ahead of express: a stream lives for
 * hours, and express's request and response decorations, its router chain and the middleware state
 * each open kept (docs/benchmarks.md#what-a-stream-keeps) cost memory per connection and CPU per open.
 * The behaviour is the express route's (stream.routes.ts), which still serves the paths this does not
 * match: the same headers, CORS, query guard, shedder, bearer-or-cookie auth, cursor rules, metrics,
 * one log line at the end and JSON 4xx errors. Returns false for any other request.
 */
export function streamFastPath(deps: StreamFastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' || !isStreamPath(req.url)) return false;
    const started = process.hrtime.bigint();
    const id = deps.genReqId(req, res);
    let route = STREAM_ROUTE;
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.observe('GET', route, res.statusCode, seconds);
      logEnd(deps.logger, id, res.statusCode, seconds);
    });
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    const serve = (): void => {
      let query: Record<string, string>;
      try {
        query = singleQueryOf(req);
      } catch (error) {
        // Refused before any route matched, as guardQuery() refuses it.
        route = 'unmatched';
        return answerError(deps.logger, id, res, error);
      }
      if (!deps.shedder.tryAdmit(res)) return;
      void open(deps, req, res, query).then(
        () => deps.shedder.started(res),
        (error: unknown) => {
          deps.shedder.started(res);
          answerError(deps.logger, id, res, error);
        },
      );
    };
    if (deps.cors) deps.cors(req, res, serve);
    else serve();
    return true;
  };
}

async function open(deps: StreamFastPathDeps, req: IncomingMessage, res: ServerResponse, query: Record<string, string>): Promise<void> {
  const claims = await deps.authenticate.execute(rawRequestTokenOf(req));
  deps.onAuthenticated?.(req.socket);
  const header = req.headers['x-device-id'];
  const deviceId = validDeviceId(typeof header === 'string' ? header : query.deviceId);
  const position = resumePositionOfRaw(req, query);
  await deps.sse.stream(req, res, {
    identity: { userId: claims.userId, tenantId: claims.tenantId, sessionId: claims.sessionId, expiresAt: claims.expiresAt, ...(deviceId && { deviceId }) },
    resumeFrom: position?.personal ?? null,
    tenantResumeFrom: position?.tenant ?? null,
    filter: EventTypeFilter.parse(query.types),
    excludeOwn: query.excludeOwn === '1' || query.excludeOwn === 'true',
  });
}

/** resumePositionOf() for a raw request: `Last-Event-ID` wins over `?lastEventId=`. */
function resumePositionOfRaw(req: IncomingMessage, query: Record<string, string>): StreamPosition | null {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string') return parseStreamPosition(header, 'Last-Event-ID');
  return parseStreamPosition(query.lastEventId, 'lastEventId');
}

function isStreamPath(url: string | undefined): boolean {
  if (url === undefined) return false;
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  return path === STREAM_ROUTE || path === `${STREAM_ROUTE}/`;
}

/** errorHandler()'s answer, without express: a JSON 4xx for a domain error, an opaque 500 otherwise. */
function answerError(logger: Logger, id: string, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const answer = errorAnswerOf(error);
  if (!answer) logger.error({ err: error, reqId: id }, 'unhandled error');
  sendJson(res, answer?.status ?? 500, answer?.body ?? INTERNAL_ERROR);
}

function sendJson(res: ServerResponse, status: number, body: ErrorBody): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The line logStreamEnd() writes for an express-served stream. */
function logEnd(logger: Logger, id: string, status: number, seconds: number): void {
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const ms = Math.round(seconds * 1000);
  logger[level]({ req: { id, method: 'GET', url: STREAM_ROUTE }, res: { statusCode: status }, responseTime: ms }, `GET ${STREAM_ROUTE} ${status} ${ms} ms`);
}
