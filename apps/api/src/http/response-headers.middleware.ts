import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Headers every answer carries: `nosniff`, so a browser never reinterprets JSON or text as script or
 * HTML; and on the API, `Cache-Control: no-store`, so no answer (tokens, a user's notifications) is
 * kept by a browser or a shared cache. The stream sets its own `no-cache` on top.
 */
export function responseHeaders(): RequestHandler {
  return (req, res, next) => {
    setHeaders(res, responseHeadersFor(req.path));
    next();
  };
}

/** Sets each of `headers` on `res` (a `for…in` over a small frozen object allocates nothing). */
export function setHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) res.setHeader(name, headers[name]!);
}

/** The headers responseHeaders() sets, as one object (the stream open writes them with its head). */
export function responseHeadersFor(path: string): Readonly<Record<string, string>> {
  return isApiPath(path) ? API_HEADERS : PAGE_HEADERS;
}

function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path === '/health' || path === '/ready' || path === '/metrics';
}

const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'X-Content-Type-Options': 'nosniff' });
const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...PAGE_HEADERS, 'Cache-Control': 'no-store' });
