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
    forgetCredentials(req);
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
 * Blanks a stream request's credentials once they were checked. The request lives as long as its
 * stream (hours), and the bearer token or cookie header is the largest string it holds (~0.5 KiB per
 * stream, docs/benchmarks.md §12). Nothing reads them after the open (the session is re-checked by
 * its id), and a heap dump of a busy instance should not be a list of live tokens.
 */
export function forgetCredentials(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Lengths first: most names are neither, and lower-casing them would allocate.
    if ((name.length === 13 || name.length === 6) && CREDENTIAL_HEADERS.has(name.toLowerCase())) raw[i + 1] = '';
  }
  const headers = req.headers;
  // Assigned, not deleted: a delete would turn the headers object into a slower, larger dictionary.
  if (headers.authorization !== undefined) headers.authorization = '';
  if (headers.cookie !== undefined) headers.cookie = '';
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);

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
