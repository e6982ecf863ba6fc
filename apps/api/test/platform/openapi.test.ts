import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { API_VERSION } from '../../src/http/openapi/api-version.js';
import { buildOpenApiDocument } from '../../src/http/openapi/openapi-document.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** The parts of express 5's router layers (the `router` package) that say what is mounted where. */
interface RouterLayer {
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle: { readonly stack?: readonly RouterLayer[] };
  /** Mounted at the root of its parent (`use(router)` without a path). */
  readonly slash: boolean;
  readonly rawPath?: unknown;
}

/** Every `METHOD /path` an express app routes, through nested routers, in OpenAPI's `{param}` style. */
function mountedRoutes(stack: readonly RouterLayer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const { path, methods } = layer.route;
      if (typeof path !== 'string') throw new Error(`a route under ${prefix} has a path that is not a string: teach mountedRoutes about it`);
      const full = `${prefix}${path}`.replace(/:(\w+)/g, '{$1}');
      return Object.keys(methods).map((m) => `${m.toUpperCase()} ${full}`);
    }
    if (!layer.handle.stack) return [];
    if (!layer.slash && typeof layer.rawPath !== 'string') throw new Error(`a router under ${prefix} is mounted at a path that is not a string`);
    return mountedRoutes(layer.handle.stack, layer.slash ? prefix : `${prefix}${String(layer.rawPath)}`);
  });
}

function documentedRoutes(document: Record<string, unknown>): string[] {
  const paths = document.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`));
}

const checkedIn = JSON.parse(readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('the OpenAPI 3.1 document', () => {
  it('is current: docs/openapi.json equals what the zod schemas generate (else run npm run docs:openapi)', () => {
    expect(checkedIn).toEqual(buildOpenApiDocument(API_VERSION));
    expect(checkedIn.openapi).toBe('3.1.0');
  });

  describe('served by the API', () => {
    let t: TestApi;

    beforeAll(async () => {
      // Every optional route on: the admin API and self-registration.
      t = await startTestApi({ env: { ADMIN_TOKEN: 'openapi-test-admin-token-0123456789', SELF_REGISTRATION_TENANT_ID: 'demo' } });
    });

    afterAll(async () => {
      await t?.stop();
    });

    it('lists every route the API mounts under /api/v1, and none it does not', () => {
      // The same app the server runs, built from its services: a new route cannot be left out of the document.
      const app = createHttpApp(t.api.services, { isReady: async () => true }) as unknown as { router: { stack: RouterLayer[] } };
      const mounted = [...new Set(mountedRoutes(app.router.stack).filter((r) => r.split(' ')[1]!.startsWith('/api/v1/')))].sort();
      // Not vacuous: the walker finds routes of every area, nested routers included.
      expect(mounted).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/apps/{appId}/webhooks/{id}/deliveries', 'GET /api/v1/admin/apps/{appId}/keys']));
      expect(mounted.length).toBeGreaterThan(50);
      expect(documentedRoutes(checkedIn).sort()).toEqual(mounted);
    });

    it("enters each area's router only for its own paths (feature-router-gate.ts): no area's paths start with a parameter", () => {
      const app = createHttpApp(t.api.services, { isReady: async () => true }) as unknown as { router: { stack: (RouterLayer & { handle: { use?: unknown } })[] } };
      const areas = app.router.stack.filter((layer) => layer.rawPath === '/api/v1' && layer.handle.stack);
      expect(areas.length).toBeGreaterThan(10);
      // An express Router has `use`; the gate in front of one does not.
      expect(areas.filter((layer) => typeof layer.handle.use === 'function')).toEqual([]);
    });

    it('at /api/docs/openapi.json, and as an interactive page at /api/docs', async () => {
      const json = await fetch(`${t.baseUrl}/api/docs/openapi.json`);
      expect(json.status).toBe(200);
      expect(await json.json()).toEqual(checkedIn);
      const page = await fetch(`${t.baseUrl}/api/docs`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('swagger-ui-bundle.js');
      const asset = await fetch(`${t.baseUrl}/api/docs/assets/swagger-ui-bundle.js`);
      expect(asset.status).toBe(200);
      await asset.arrayBuffer();
    });
  });
});
