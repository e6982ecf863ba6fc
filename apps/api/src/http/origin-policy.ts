import type { IncomingMessage } from 'node:http';
import { ForbiddenError } from '@pushline/domain';
import type { RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Which browser origins may use the session cookie: the API's own (same host and port as the request's
 * `Host`) and those listed in `CORS_ORIGINS`. A request without `Origin` was not sent by a browser page
 * on another origin (browsers send it on every WebSocket upgrade and every non-GET fetch or form), so it
 * passes; `Origin: null` (sandboxed frames, files) never does.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(allowedOrigins);
  }

  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.allowed.has(origin)) return true;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && host !== undefined && url.host === host.toLowerCase();
    } catch {
      return false;
    }
  }

  /** For the WebSocket upgrade, where CORS never applies: throws ForbiddenError (403) for a foreign origin. */
  assertUpgradeAllowed(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (!this.allows(origin, req.headers.host)) throw new ForbiddenError(`origin ${origin} may not open the stream; add it to CORS_ORIGINS`);
  }
}

/**
 * Cross-site request forgery: a state-changing request that a page of a foreign origin sent is refused
 * (403), unless it authenticates with `Authorization: Bearer`, which such a page cannot attach to a
 * form post and which CORS governs for scripts. Cookie-authenticated writes, login included, must come
 * from an allowed origin.
 */
export function requireAllowedOriginForWrites(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.get('authorization')) return next();
    const origin = req.get('origin');
    if (policy.allows(origin, req.get('host'))) return next();
    next(new ForbiddenError(`origin ${origin} may not send this request; add it to CORS_ORIGINS`));
  };
}
