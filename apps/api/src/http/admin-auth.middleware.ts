import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { hasBearerToken } from './bearer-token.js';
import { sendError } from './errors.js';

/**
 * Guards operator routes with `ADMIN_TOKEN`. Unset: the admin API does not exist (404), as if the route
 * were never mounted; a user's access token or an app key never opens it. A request with the token
 * tells `onAuthenticated`, so an operator's keep-alive pool leaves the unauthenticated-connection cap.
 */
export function requireAdmin(token: string | undefined, onAuthenticated?: (socket: Socket) => void): RequestHandler {
  return (req, res, next) => {
    if (token === undefined) {
      sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`);
      return;
    }
    if (!hasBearerToken(req, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      sendError(res, 401, 'unauthenticated', 'the admin API needs the ADMIN_TOKEN bearer token');
      return;
    }
    onAuthenticated?.(req.socket);
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
