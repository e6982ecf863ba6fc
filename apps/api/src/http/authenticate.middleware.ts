import type { Socket } from 'node:net';
import type { Authenticate } from '@pushline/application';
import type { AccessClaims } from '@pushline/domain';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export const SESSION_COOKIE = 'pushline_session';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AccessClaims;
  }
}

/** The bearer token wins over the cookie: a script that sends both means the header. */
export function tokenOf(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ?? '';
  }
  const cookie: unknown = req.cookies?.[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie.length > 0 ? cookie : undefined;
}

/**
 * Requires a valid token of an active session from `Authorization: Bearer` or the session cookie.
 * `onAuthenticated` learns the connection that carried it (the unauthenticated-connection cap).
 */
export function requireAuth(authenticate: Authenticate, onAuthenticated?: (socket: Socket) => void): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    authenticate.execute(tokenOf(req)).then((claims) => {
      req.auth = claims;
      onAuthenticated?.(req.socket);
      next();
    }, next);
  };
}

export function claimsOf(req: Request): AccessClaims {
  if (!req.auth) throw new Error('route is missing requireAuth');
  return req.auth;
}
