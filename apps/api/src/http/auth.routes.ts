import type { GetCurrentUser, LogIn, LogOut, RefreshToken } from '@pushline/application';
import { Router, type CookieOptions, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf, SESSION_COOKIE } from './authenticate.middleware.js';
import { parseInput } from './errors.js';

export const LogInBody = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export interface AuthRoutesDeps {
  readonly logIn: LogIn;
  readonly logOut: LogOut;
  readonly refreshToken: RefreshToken;
  readonly getCurrentUser: GetCurrentUser;
  readonly requireAuth: RequestHandler;
  /** Per address and per account (rate-limits.ts). */
  readonly loginRateLimits: readonly RequestHandler[];
  readonly cookieSecure: boolean;
  /** Called after logout so the session's open streams end at once. */
  readonly onLoggedOut: (sessionId: string) => void;
}

export function authRoutes(deps: AuthRoutesDeps): Router {
  const router = Router();
  const cookie = (maxAgeMs: number): CookieOptions => ({
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.cookieSecure,
    path: '/',
    maxAge: maxAgeMs,
  });

  router.post('/auth/login', ...deps.loginRateLimits, async (req, res) => {
    const body = parseInput(LogInBody, req.body);
    const result = await deps.logIn.execute(body);
    res.cookie(SESSION_COOKIE, result.token, cookie(result.expiresIn * 1000));
    res.json({ accessToken: result.token, tokenType: 'Bearer', expiresIn: result.expiresIn, user: result.user });
  });

  // A fresh token for the same session (after `stream.reauth`); the stream is then reopened with it.
  router.post('/auth/refresh', deps.requireAuth, async (req, res) => {
    const result = await deps.refreshToken.execute(claimsOf(req));
    res.cookie(SESSION_COOKIE, result.token, cookie(result.expiresIn * 1000));
    res.json({ accessToken: result.token, tokenType: 'Bearer', expiresIn: result.expiresIn });
  });

  router.post('/auth/logout', deps.requireAuth, async (req, res) => {
    const claims = claimsOf(req);
    await deps.logOut.execute(claims);
    deps.onLoggedOut(claims.sessionId);
    res.clearCookie(SESSION_COOKIE, { ...cookie(0), maxAge: undefined });
    res.status(204).end();
  });

  router.get('/me', deps.requireAuth, async (req, res) => {
    const user = await deps.getCurrentUser.execute(claimsOf(req).userId);
    res.json({ id: user.id, tenantId: user.tenantId, email: user.email, createdAt: user.createdAt.toISOString() });
  });

  return router;
}
