import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from './openapi-document.js';

/** The interactive page: Swagger UI from the `swagger-ui-dist` package, served from here (no CDN). */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pushline API</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/openapi-page.js"></script>
</body></html>`;
const PAGE_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#docs' });`;

/**
 * `GET /api/docs/openapi.json` (generated from the zod schemas once, at start) and `GET /api/docs`, an
 * interactive page. No authentication: they describe shapes and hold no data.
 */
export function openApiRoutes(version: string): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument(version));
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/api/docs/openapi.json', (_req, res) => {
    res.type('application/json').setHeader('Cache-Control', 'public, max-age=300').send(document);
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/api/docs/openapi-page.js', (_req, res) => {
    res.type('application/javascript').send(PAGE_SCRIPT);
  });
  router.use('/api/docs/assets', express.static(assets, { index: false, maxAge: '1h' }));
  return router;
}
