import type { RequestHandler } from 'express';

/**
 * Headers every answer carries: `nosniff`, so a browser never reinterprets JSON or text as script or
 * HTML; and on the API, `Cache-Control: no-store`, so no answer (tokens, a user's notifications) is
 * kept by a browser or a shared cache. The stream sets its own `no-cache` on top.
 */
export function responseHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.path.startsWith('/api/') || req.path === '/health' || req.path === '/ready' || req.path === '/metrics') {
      res.setHeader('Cache-Control', 'no-store');
    }
    next();
  };
}
