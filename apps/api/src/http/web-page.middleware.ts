import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

/** apps/api/public: one level above both src/http and dist/http, so the same path works from either. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * The page may only run its own scripts and talk to its own origin: with no inline script or handler
 * allowed, an injected notification title cannot execute even if a renderer forgot `textContent`.
 */
export const WEB_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The page's service worker (web push): at the root, so its default scope is the whole page. */
export const SERVICE_WORKER_FILE = 'sw.js';

/**
 * Serves the demo web page (apps/api/public) at `/`. The service worker gets the page's CSP too (a
 * worker's policy is its own response's) and `no-cache`, so a new version is picked up at once.
 */
export function webPage(): RequestHandler {
  return express.static(PUBLIC_DIR, {
    index: 'index.html',
    setHeaders: (res, path) => {
      res.setHeader('Content-Security-Policy', WEB_PAGE_CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      if (path.endsWith(`/${SERVICE_WORKER_FILE}`)) res.setHeader('Cache-Control', 'no-cache');
    },
  });
}
