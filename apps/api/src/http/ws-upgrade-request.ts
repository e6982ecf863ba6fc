import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Authenticate } from '@pushline/application';
import { parseStreamPosition, ValidationError } from '@pushline/domain';
import type { OpenStreamRequest } from '@pushline/stream-engine';
import { SESSION_COOKIE } from './authenticate.middleware.js';
import type { UnauthenticatedConnectionCap } from './connection-cap.js';
import { assertSafeInput, queryFieldName } from './input-guard.js';
import type { OriginPolicy } from './origin-policy.js';
import { rawDeviceIdOf } from './request-context.js';
import { streamRequestOf } from './stream.routes.js';

/**
 * The WebSocket twin of requireAuth + the stream route's parsing, on a raw upgrade request (there is
 * no express request during an upgrade). Same rules: the bearer token wins over the session cookie;
 * `?lastEventId=`, `?types=`, `?excludeOwn=`, `X-Device-Id` / `?deviceId=` mean what they mean for SSE.
 * CORS never covers WebSockets, so the `Origin` is checked here, before the session cookie is trusted.
 */
export function wsUpgradeAuthenticator(
  authenticate: Authenticate,
  origins: OriginPolicy,
  connections?: Pick<UnauthenticatedConnectionCap, 'authenticated'>,
): (req: IncomingMessage) => Promise<OpenStreamRequest> {
  return async (req) => {
    origins.assertUpgradeAllowed(req);
    const claims = await authenticate.execute(rawRequestTokenOf(req));
    connections?.authenticated(req.socket as Socket);
    const single = singleQueryOf(req);
    return streamRequestOf(claims, rawDeviceIdOf(req, single), parseStreamPosition(single.lastEventId, 'lastEventId'), single.types, single.excludeOwn);
  };
}

/**
 * A raw request's query string as guardQuery() accepts it: every parameter at most once, its text
 * checked; throws a ValidationError naming the parameter otherwise.
 */
export function singleQueryOf(req: IncomingMessage): Record<string, string> {
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const single: Record<string, string> = {};
  if (mark < 0) return single;
  const query = new URLSearchParams(url.slice(mark + 1));
  for (const key of new Set(query.keys())) {
    const field = queryFieldName(key);
    if (query.getAll(key).length > 1) throw new ValidationError(field, `${field} must be given once`);
    single[key] = query.get(key) ?? '';
  }
  assertSafeInput(single, 'query');
  return single;
}

/**
 * `Authorization: Bearer` (apps, the `ws` client) or the session cookie (browsers send it on upgrade
 * and with EventSource), read from a raw request: the bearer token wins, like tokenOf().
 */
export function rawRequestTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const raw = pair.slice(eq + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // Not URI-encoded after all: the token check refuses it as it is.
    }
    return value.length > 0 ? value : undefined;
  }
  return undefined;
}
