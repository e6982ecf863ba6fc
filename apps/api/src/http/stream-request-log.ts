import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** `GET /api/v1/stream`: the long-lived requests that skip the per-request logger. */
export function isStreamOpen(req: Request): boolean {
  return req.method === 'GET' && (req.path === '/api/v1/stream' || req.path === '/api/v1/stream/');
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
  const started = Date.now();
  const id = genReqId(req, res);
  (req as { id?: unknown }).id = id;
  res.once('close', () => {
    const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const ms = Date.now() - started;
    logger[level]({ req: { id, method: req.method, url: req.path }, res: { statusCode: res.statusCode }, responseTime: ms }, `GET ${req.path} ${res.statusCode} ${ms} ms`);
  });
  next();
}
