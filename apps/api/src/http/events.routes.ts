import {
  formatStreamPosition,
  parseStreamPositionParam,
  resumeProblemOf,
  type EventLog,
  type ResumeProblem,
  type StreamEntry,
  type TenantEventLog,
} from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';

export const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** One page of the polling fallback. */
export interface EventsPage {
  readonly events: readonly {
    /** The entry's cursor in its stream (the user's own, or the tenant's with `stream: "tenant"`). */
    readonly cursor: number;
    /** The id the stream would give it (`<personal>` or `<personal>.<tenant>`). */
    readonly id: string;
    readonly stream?: 'tenant';
    readonly type: string;
    readonly event: StreamEntry['event'];
  }[];
  /**
   * Pass as `after` to get the next page: the position after the last entry returned (or `after`). A
   * number while the tenant position is 0, else `"<personal>.<tenant>"`, like the stream's ids.
   */
  readonly nextAfter: number | string;
  readonly headCursor: number;
  /** Head of the tenant's broadcast stream; absent while it has none. */
  readonly tenantHeadCursor?: number;
  /** Like `stream.reset`: entries after `after` are gone (or never existed); reload state, continue from `cursor`. */
  readonly reset?: { readonly reason: ResumeProblem; readonly cursor: number };
  /** The same for the tenant's broadcast stream. */
  readonly tenantReset?: { readonly reason: ResumeProblem; readonly cursor: number; readonly stream: 'tenant' };
}

export interface EventsRoutesDeps {
  readonly eventLog: EventLog;
  /** The tenants' broadcast streams; without it, pages hold the user's own stream only. */
  readonly tenantLog?: TenantEventLog;
  readonly requireAuth: RequestHandler;
}

const NO_TENANT_LOG: TenantEventLog = { readAfter: async () => [], headCursor: async () => 0, oldestRetainedCursor: async () => null };

/**
 * `GET /events?after=&limit=`: the user's stream and the tenant's broadcasts as pages, for clients
 * that cannot keep a stream open. Same entries, same ids and the same reset rules as `/stream`: the
 * user's own entries first, then broadcasts, each stream in cursor order.
 */
export function eventsRoutes(deps: EventsRoutesDeps): Router {
  const router = Router();
  router.get('/events', deps.requireAuth, async (req, res) => {
    // The same cursor rule as the stream's Last-Event-ID; none means from the start of both streams.
    const after = parseStreamPositionParam(req.query.after, 'after') ?? { personal: 0, tenant: 0 };
    const { limit } = parseInput(EventsQuery, { limit: req.query.limit }, 'query');
    const { userId, tenantId } = claimsOf(req);
    const tenantLog = tenantId && deps.tenantLog ? deps.tenantLog : NO_TENANT_LOG;
    const [head, oldest, tenantHead, tenantOldest] = await Promise.all([
      deps.eventLog.headCursor(userId),
      deps.eventLog.oldestRetainedCursor(userId),
      tenantLog.headCursor(tenantId),
      tenantLog.oldestRetainedCursor(tenantId),
    ]);

    const problem = resumeProblemOf(after.personal, head, oldest);
    const tenantProblem = resumeProblemOf(after.tenant, tenantHead, tenantOldest);
    if (problem || tenantProblem) {
      const position = { personal: problem ? head : after.personal, tenant: tenantProblem ? tenantHead : after.tenant };
      const page: EventsPage = {
        events: [],
        nextAfter: nextAfterOf(position),
        headCursor: head,
        ...(tenantHead > 0 && { tenantHeadCursor: tenantHead }),
        ...(problem && { reset: { reason: problem, cursor: head } }),
        ...(tenantProblem && { tenantReset: { reason: tenantProblem, cursor: tenantHead, stream: 'tenant' as const } }),
      };
      res.json(page);
      return;
    }
    const own = await deps.eventLog.readAfter(userId, after.personal, limit);
    const broadcasts = own.length < limit ? await tenantLog.readAfter(tenantId, after.tenant, limit - own.length) : [];
    const position = { ...after };
    const events = [...own, ...broadcasts].map((e) => {
      if (e.tenantStream === undefined) position.personal = e.cursor;
      else position.tenant = e.cursor;
      return { cursor: e.cursor, id: formatStreamPosition(position), ...(e.tenantStream !== undefined && { stream: 'tenant' as const }), type: e.event.type, event: e.event };
    });
    // Retention ran between the check and the read: a page starts past a hole, so say so.
    const hole = own[0] !== undefined && own[0].cursor > after.personal + 1;
    const tenantHole = broadcasts[0] !== undefined && broadcasts[0].cursor > after.tenant + 1;
    const page: EventsPage = {
      events,
      nextAfter: nextAfterOf(position),
      headCursor: Math.max(head, own.at(-1)?.cursor ?? 0),
      ...(Math.max(tenantHead, broadcasts.at(-1)?.cursor ?? 0) > 0 && { tenantHeadCursor: Math.max(tenantHead, broadcasts.at(-1)?.cursor ?? 0) }),
      ...(hole && { reset: { reason: 'cursor_expired', cursor: own[0]!.cursor - 1 } }),
      ...(tenantHole && { tenantReset: { reason: 'cursor_expired', cursor: broadcasts[0]!.cursor - 1, stream: 'tenant' as const } }),
    };
    res.json(page);
  });
  return router;
}

/** A plain number while the tenant position is 0 (as before broadcasts existed), else the pair. */
function nextAfterOf(position: { readonly personal: number; readonly tenant: number }): number | string {
  return position.tenant === 0 ? position.personal : formatStreamPosition(position);
}
