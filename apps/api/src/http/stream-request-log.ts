import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** `GET /api/v1/stream`: the long-lived requests that skip the per-request logger. */
export function isStreamOpen(req: Request): boolean {
  return req.method === 'GET' && isStreamPath(req.path);
}

/** The stream route's path, with or without the trailing slash express's non-strict routing accepts. */
export function isStreamPath(path: string): boolean {
  return path === '/api/v1/stream' || path === '/api/v1/stream/';
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
 * One line when `res` closes, at the level pino-http would use: its path only (a query string may hold
 * a token). Shared by the express route and the stream fast path.
 */
export function logWhenEnded(logger: Logger, id: string, method: string, path: string, res: ServerResponse): void {
  const started = Date.now();
  res.once('close', () => {
    const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const ms = Date.now() - started;
    logger[level]({ req: { id, method, url: path }, res: { statusCode: res.statusCode }, responseTime: ms }, `${method} ${path} ${res.statusCode} ${ms} ms`);
  });
}
