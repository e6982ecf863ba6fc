import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Level, Logger } from 'pino';
import { redactQuery, redactUrl } from './redact-url.js';

/** `GET /api/v1/stream`: the long-lived requests that skip the per-request logger. */
export function isStreamOpen(req: Request): boolean {
  return req.method === 'GET' && isStreamPath(req.path);
}

/** The stream route's path, with or without the trailing slash express's non-strict routing accepts. */
export function isStreamPath(path: string): boolean {
  return path === '/api/v1/stream' || path === '/api/v1/stream/';
}

/** The level of a request's line, as pino-http is configured: 5xx `error`, 4xx `warn`, the rest `info`. */
export function requestLevelOf(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/** The message of a request's line: `POST /api/v1/notifications 201 3 ms` (the query string left out: it may hold a token). */
export function requestLine(method: string | undefined, url: string | undefined, status: number, ms?: number): string {
  const path = (url ?? '').split('?')[0];
  return `${method} ${path} ${status}${ms === undefined ? '' : ` ${Math.round(ms)} ms`}`;
}

/**
 * What pino-http gives every request, at a stream's cost: a request id (header and `req.id`, which
 * the stream's events carry as correlation id) and one line when it ends, from the root logger, with
 * the same message shape as other requests. Nothing is kept per stream but one close listener.
 */
export function logStreamEnd(
  logger: Logger,
  genReqId: (req: IncomingMessage, res: ServerResponse) => string,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  const id = genReqId(req, res);
  (req as { id?: unknown }).id = id;
  logWhenEnded(logger, id, req.method, req.path, res);
  next();
}

/**
 * Calls `write` once `res` closes, with the level pino-http would use for it and the time it took,
 * only if the logger writes that level (nothing is built for a line that is dropped).
 */
function whenEnded(logger: Logger, res: ServerResponse, write: (level: Level, ms: number) => void): void {
  const started = Date.now();
  res.once('close', () => {
    const level = requestLevelOf(res.statusCode);
    if (logger.isLevelEnabled(level)) write(level, Date.now() - started);
  });
}

/**
 * One line when `res` closes, at the level pino-http would use: its path only (a query string may hold
 * a token). Shared by the express route and the stream fast path.
 */
export function logWhenEnded(logger: Logger, id: string, method: string, path: string, res: ServerResponse): void {
  const started = Date.now();
  res.once('close', () => logEnded(logger, id, method, path, res.statusCode, Date.now() - started));
}

/**
 * logWhenEnded()'s line for a response that closed `ms` after it began, from a close listener the
 * caller already has: a stream keeps one listener for its metrics and its line (stream-fast-path.ts).
 */
export function logEnded(logger: Logger, id: string, method: string, path: string, statusCode: number, ms: number): void {
  const level = requestLevelOf(statusCode);
  if (!logger.isLevelEnabled(level)) return;
  const rounded = Math.round(ms);
  logger[level]({ req: { id, method, url: path }, res: { statusCode }, responseTime: rounded }, requestLine(method, path, statusCode, rounded));
}

/**
 * The per-request logger when `info` is off (`LOG_LEVEL=warn` and above): then only 4xx and 5xx
 * answers are logged, and pino-http would still make two child loggers per request, the second
 * serializing the whole request into its bindings at once, for a line that is not written (15–25 % of
 * a create's CPU in scenario D, decision 57). This sets the request id (header and `req.id`) and, for a
 * line the level lets through, writes the fields pino-http writes: the request with its headers
 * (credentials redacted by the root logger's paths) and redacted URL and query, the answer's status
 * and headers, the time.
 */
export function quietRequestLog(logger: Logger, genReqId: (req: IncomingMessage, res: ServerResponse) => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const id = genReqId(req, res);
    (req as { id?: unknown }).id = id;
    whenEnded(logger, res, (level, ms) => {
      const url = req.originalUrl;
      logger[level](
        {
          req: { id, method: req.method, url: redactUrl(url), query: redactQuery(req.query), headers: req.headers, remoteAddress: req.socket.remoteAddress, remotePort: req.socket.remotePort },
          res: { statusCode: res.statusCode, headers: res.getHeaders() },
          responseTime: ms,
          // As pino-http: a 5xx line carries an error (the handler's own error is logged where it is answered).
          ...(level === 'error' && { err: new Error(`failed with status code ${res.statusCode}`) }),
        },
        requestLine(req.method, url, res.statusCode, level === 'error' ? undefined : ms),
      );
    });
    next();
  };
}
