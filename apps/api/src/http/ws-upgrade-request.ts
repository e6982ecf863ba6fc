import type { IncomingMessage } from 'node:http';
import type { Authenticate } from '@pushline/application';
import { parseCursorParam } from '@pushline/domain';
import { EventTypeFilter, type OpenStreamRequest } from '@pushline/stream-engine';
import { SESSION_COOKIE } from './authenticate.middleware.js';
import { validDeviceId } from './request-context.js';

/**
 * The WebSocket twin of requireAuth + the stream route's parsing, on a raw upgrade request (there is
 * no express request during an upgrade). Same rules: the bearer token wins over the session cookie;
 * `?lastEventId=`, `?types=`, `?excludeOwn=`, `X-Device-Id` / `?deviceId=` mean what they mean for SSE.
 */
export function wsUpgradeAuthenticator(authenticate: Authenticate): (req: IncomingMessage) => Promise<OpenStreamRequest> {
  return async (req) => {
    const claims = await authenticate.execute(upgradeTokenOf(req));
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const header = req.headers['x-device-id'];
    const deviceId = validDeviceId((typeof header === 'string' ? header : undefined) ?? query.get('deviceId') ?? undefined);
    const excludeOwn = query.get('excludeOwn');
    return {
      identity: { userId: claims.userId, sessionId: claims.sessionId, expiresAt: claims.expiresAt, ...(deviceId && { deviceId }) },
      resumeFrom: parseCursorParam(query.getAll('lastEventId'), 'lastEventId'),
      filter: EventTypeFilter.parse(query.get('types') ?? undefined),
      excludeOwn: excludeOwn === '1' || excludeOwn === 'true',
    };
  };
}

/** `Authorization: Bearer` (apps, the `ws` client) or the session cookie (browsers send it on upgrade). */
function upgradeTokenOf(req: IncomingMessage): string | undefined {
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
