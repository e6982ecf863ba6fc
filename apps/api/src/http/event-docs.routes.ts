import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { sendError } from './errors.js';

/** Where the generated document is, found by walking up from this module (works from src/ and dist/). */
export function findAsyncApiDocument(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'docs', 'asyncapi.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * `GET /api/docs/events`: the AsyncAPI 3.0 document of the event stream (docs/asyncapi.json, generated
 * from the catalog by `npm run docs:events`). No authentication: it describes shapes, holds no user data.
 */
export function eventDocsRoutes(path: string | undefined = findAsyncApiDocument()): Router {
  const router = Router();
  let document: string | undefined;
  router.get('/api/docs/events', (_req, res) => {
    if (!path) return sendError(res, 404, 'not_found', 'the event documentation is not deployed with this build');
    document ??= readFileSync(path, 'utf8');
    res.type('application/json').setHeader('Cache-Control', 'public, max-age=300').send(document);
  });
  return router;
}
