import type { SseDeliveryAdapter } from '@pushline/delivery-sse';
import { parseStreamPositionParam, type AccessClaims, type StreamPosition } from '@pushline/domain';
import { EventTypeFilter, type OpenStreamRequest, type StreamHub } from '@pushline/stream-engine';
import { Router, type Request, type RequestHandler } from 'express';
import { claimsOf } from './authenticate.middleware.js';
import { deviceIdOf } from './request-context.js';
import type { StreamOpenShedder } from './stream-open-shedder.js';

/**
 * `Last-Event-ID` (sent by EventSource on reconnect) wins over `?lastEventId=` (first load). Either is
 * `<personal>` or `<personal>.<tenant>` (docs/stream-cursor.md).
 */
export function resumePositionOf(req: Request): StreamPosition | null {
  return resumePositionFrom(req.get('last-event-id'), req.query.lastEventId);
}

/** resumePositionOf() from the header's and the query parameter's values (the stream fast path). */
export function resumePositionFrom(header: string | undefined, query: unknown): StreamPosition | null {
  if (header !== undefined) return parseStreamPositionParam(header, 'Last-Event-ID');
  return parseStreamPositionParam(query, 'lastEventId');
}

/** What the hub is asked to open, from the parsed pieces of a stream open (express route and fast path). */
export function streamRequestOf(
  claims: AccessClaims,
  deviceId: string | undefined,
  position: StreamPosition | null,
  types: string | undefined,
  excludeOwn: unknown,
): OpenStreamRequest {
  return {
    identity: { userId: claims.userId, tenantId: claims.tenantId, sessionId: claims.sessionId, expiresAt: claims.expiresAt, ...(deviceId && { deviceId }) },
    resumeFrom: position?.personal ?? null,
    tenantResumeFrom: position?.tenant ?? null,
    filter: EventTypeFilter.parse(types),
    excludeOwn: excludeOwn === '1' || excludeOwn === 'true',
  };
}

export interface StreamRoutesDeps {
  readonly sse: SseDeliveryAdapter;
  readonly hub: StreamHub;
  readonly requireAuth: RequestHandler;
  /** Sheds opens beyond the pending limit with an answer EventSource retries. */
  readonly shedder?: StreamOpenShedder;
}

export function streamRoutes(deps: StreamRoutesDeps): Router {
  const router = Router();
  const admit: RequestHandler = deps.shedder?.admit ?? ((_req, _res, next) => next());
  router.get('/stream', admit, deps.requireAuth, async (req, res) => {
    const types = typeof req.query.types === 'string' ? req.query.types : undefined;
    const request = streamRequestOf(claimsOf(req), deviceIdOf(req), resumePositionOf(req), types, req.query.excludeOwn);
    await deps.sse.stream(req, res, request).finally(() => deps.shedder?.started(res));
    // The stream lives for hours and nothing calls next() on it any more: let go of the routers'
    // chain (req.next holds each router's `next`, its context and the request state it saved).
    req.next = undefined;
  });
  return router;
}
