import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AuthenticateApp, IdempotencyInput } from '@pushline/application';
import type { AppPrincipal } from '@pushline/domain';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { IdempotencyKeyHeader } from './app-schemas.js';
import { parseInput } from './errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    appPrincipal?: AppPrincipal;
  }
}

/**
 * Requires `Authorization: Bearer <API key>` of the app named by `:appId`; sets `req.appPrincipal`.
 * `onAuthenticated` learns the connection that carried a valid key: a publisher's keep-alive pool
 * must not count against the unauthenticated-connection cap (it answered 429 past 100 sockets).
 */
export function requireAppKey(authenticateApp: AuthenticateApp, onAuthenticated?: (socket: Socket) => void): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    authenticateApp.execute(match?.[1], String(req.params.appId)).then((principal) => {
      req.appPrincipal = principal;
      onAuthenticated?.(req.socket);
      next();
    }, next);
  };
}

export function principalOf(req: Request): AppPrincipal {
  if (!req.appPrincipal) throw new Error('route is missing requireAppKey');
  return req.appPrincipal;
}

/** The request's `Idempotency-Key` with a hash of what it asks (method, path, body), or nothing. */
export function idempotencyOf(req: Request): IdempotencyInput | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  const key = parseInput(z.object({ 'Idempotency-Key': IdempotencyKeyHeader }), { 'Idempotency-Key': raw })['Idempotency-Key'];
  const requestHash = createHash('sha256').update(`${req.method} ${req.baseUrl}${req.path}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
  return { key, requestHash };
}
