import type { RequestHandler, Router } from 'express';

/** What express's router keeps of each `use` or route (router 2.x: `Layer#rawPath`, `Route#path`). */
interface StackLayer {
  readonly rawPath?: unknown;
  readonly route?: { readonly path?: unknown };
  /** A router mounted with `use` has its own stack. */
  readonly handle?: { readonly stack?: readonly StackLayer[] };
}

/**
 * The first path segments (lowercased) under which `router`'s routes and middleware are mounted, or
 * null when one of them starts with a parameter, a pattern or a regular expression (any path may be
 * its). A router mounted without a path counts with its own layers; other path-less middleware
 * (`router.use(fn)`) names no segment: it runs for the router's own paths.
 */
export function firstSegmentsOf(router: Router): ReadonlySet<string> | null {
  const segments = new Set<string>();
  return collect(router.stack as unknown as readonly StackLayer[], segments) ? segments : null;
}

function collect(stack: readonly StackLayer[], segments: Set<string>): boolean {
  for (const layer of stack) {
    const raw = layer.route ? layer.route.path : layer.rawPath;
    for (const path of Array.isArray(raw) ? raw.flat(Infinity) : [raw]) {
      if (typeof path !== 'string') return false;
      if (path === '/' || path === '') {
        // A route of the mount point itself; a router mounted without a path; other middleware.
        if (layer.route) segments.add('');
        else if (layer.handle?.stack && !collect(layer.handle.stack, segments)) return false;
        continue;
      }
      const first = path.split('/')[1] ?? '';
      if (first === '' || /[:*?(){}[\]\\]/.test(first)) return false;
      segments.add(first.toLowerCase());
    }
  }
  return true;
}

/**
 * Enters a feature's router (mounted at /api/v1) only for requests whose first path segment one of
 * its routes starts with. Express otherwise walks every feature's router, and every layer in it, for
 * every request: for a create, 8 % of the API's CPU went to the router (`docs/benchmarks.md` §13).
 * Matching stays express's: case-insensitive, on the path as sent.
 */
export function enteredOnlyForItsPaths(router: Router): RequestHandler {
  const segments = firstSegmentsOf(router);
  if (!segments) return router;
  const gate: RequestHandler = (req, res, next) => {
    const path = req.path;
    const end = path.indexOf('/', 1);
    const first = (end < 0 ? path.slice(1) : path.slice(1, end)).toLowerCase();
    if (segments.has(first)) router(req, res, next);
    else next();
  };
  // What walks the app's routes (the OpenAPI check) still finds them behind the gate.
  return Object.defineProperty(gate, 'stack', { get: () => router.stack });
}
