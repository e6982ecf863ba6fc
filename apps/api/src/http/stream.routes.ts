import type { SseDeliveryAdapter } from '@pushline/delivery-sse';
import { parseStreamPositionParam, type StreamPosition } from '@pushline/domain';
import { EventTypeFilter, type StreamHub } from '@pushline/stream-engine';
import { Router, type Request, type RequestHandler } from 'express';
import { claimsOf } from './authenticate.middleware.js';
import { deviceIdOf } from './request-context.js';
import type { StreamOpenShedder } from './stream-open-shedder.js';

/**
 * `Last-Event-ID` (sent by EventSource on reconnect) wins over `?lastEventId=` (first load). Either is
 * `<personal>` or `<personal>.<tenant>` (docs/stream-cursor.md).
 */
export function resumePositionOf(req: Request): StreamPosition | null {
  const header = req.get('last-event-id');
  if (header !== undefined) return parseStreamPositionParam(header, 'Last-Event-ID');
  return parseStreamPositionParam(req.query.lastEventId, 'lastEventId');
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
    const claims = claimsOf(req);
    const types = typeof req.query.types === 'string' ? req.query.types : undefined;
    const deviceId = deviceIdOf(req);
    const position = resumePositionOf(req);
    await deps.sse.stream(req, res, {
      identity: { userId: claims.userId, tenantId: claims.tenantId, sessionId: claims.sessionId, expiresAt: claims.expiresAt, ...(deviceId && { deviceId }) },
      resumeFrom: position?.personal ?? null,
      tenantResumeFrom: position?.tenant ?? null,
      filter: EventTypeFilter.parse(types),
      excludeOwn: req.query.excludeOwn === '1' || req.query.excludeOwn === 'true',
    }).finally(() => deps.shedder?.started(res));
    // The stream lives for hours and nothing calls next() on it any more: let go of the routers'
    // chain (req.next holds each router's `next`, its context and the request state it saved).
    req.next = undefined;
  });
  return router;
}
