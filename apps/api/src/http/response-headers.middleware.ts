import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Headers every answer carries: `nosniff`, so a browser never reinterprets JSON or text as script or
 * HTML; and on the API, `Cache-Control: no-store`, so no answer (tokens, a user's notifications) is
 * kept by a browser or a shared cache. The stream sets its own `no-cache` on top.
 */
export function responseHeaders(): RequestHandler {
  return (req, res, next) => {
    setResponseHeaders(res, req.path);
    next();
  };
}

/** responseHeaders() for a request to `path`, without express (the stream open, stream-fast-path.ts). */
export function setResponseHeaders(res: ServerResponse, path: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (path.startsWith('/api/') || path === '/health' || path === '/ready' || path === '/metrics') {
    res.setHeader('Cache-Control', 'no-store');
  }
}
