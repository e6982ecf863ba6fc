import type { AppAuthorizer, AppScope, WebhookOwner } from '@pushline/domain';
import type { Socket } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { sendError } from './errors.js';

const APP_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Lets the request through when its Bearer credential may act for `:appId` with `scope`; the app id
 * is then `appIdOf(req)`. 401 without a valid credential, 403 without the scope, 404 for another app
 * (never revealing whether it exists). An authorized request tells `onAuthenticated` (the
 * unauthenticated-connection cap, HttpContext.connectionAuthenticated).
 */
export function requireAppScope(authorizer: AppAuthorizer, scope: AppScope, onAuthenticated?: (socket: Socket) => void): RequestHandler {
  return async (req, res, next) => {
    const appId = String(req.params['appId'] ?? '');
    if (!APP_ID.test(appId)) {
      sendError(res, 404, 'not_found', `app ${appId} was not found`);
      return;
    }
    const header = req.get('authorization');
    const credential = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const result = await authorizer.authorize(credential, appId, scope);
    if (result.ok) {
      onAuthenticated?.(req.socket);
      res.locals['appId'] = result.appId;
      res.locals['appTenantId'] = result.tenantId;
      next();
      return;
    }
    if (result.reason === 'unauthenticated') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="apps"');
      sendError(res, 401, 'unauthenticated', 'this route needs an API key of the app (Authorization: Bearer)');
    } else if (result.reason === 'forbidden') {
      sendError(res, 403, 'forbidden', `the API key lacks the scope ${scope}`);
    } else {
      sendError(res, 404, 'not_found', `app ${appId} was not found`);
    }
  };
}

/** The app a `requireAppScope` route acts for. */
export function appIdOf(req: Request): string {
  return String(req.res?.locals['appId']);
}

/** The app a `requireAppScope` route acts for, with its tenant: what scopes the app's webhooks. */
export function appOwnerOf(req: Request): WebhookOwner {
  return { tenantId: String(req.res?.locals['appTenantId']), appId: appIdOf(req) };
}
