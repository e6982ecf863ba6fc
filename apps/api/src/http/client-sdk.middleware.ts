import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, Router } from 'express';

/** packages/client/dist: four levels above both src/http and dist/http, so the same path works from either. */
export const CLIENT_SDK_DIR = fileURLToPath(new URL('../../../../packages/client/dist/', import.meta.url));

/**
 * Serves the SDK's browser build (`@pushline/client`, plain ES modules) at `/sdk/`, for the demo page
 * and for any page on this origin: `import { createPushlineClient } from '/sdk/index.js'`. Only the
 * browser modules: not the Node entry, the CLI or the type declarations.
 */
export function clientSdk(): RequestHandler {
  const router = Router();
  router.use((req, res, next) => {
    if (!req.path.endsWith('.js') || req.path === '/node.js' || req.path.startsWith('/cli/')) {
      res.status(404).json({ error: { code: 'not_found', message: `no SDK module ${req.path}` } });
      return;
    }
    next();
  });
  router.use(
    express.static(CLIENT_SDK_DIR, {
      index: false,
      setHeaders: (res) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  return router;
}
