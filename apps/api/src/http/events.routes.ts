import { parseCursorParam, resumeProblemOf, type EventLog, type ResumeProblem, type StreamEntry } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { claimsOf } from './authenticate.middleware.js';
import { parseInput } from './errors.js';

export const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** One page of the polling fallback. */
export interface EventsPage {
  readonly events: readonly { readonly cursor: number; readonly type: string; readonly event: StreamEntry['event'] }[];
  /** Pass as `after` to get the next page: the last cursor returned, or `after` when none. */
  readonly nextAfter: number;
  readonly headCursor: number;
  /** Like `stream.reset`: entries after `after` are gone (or never existed); reload state, continue from `cursor`. */
  readonly reset?: { readonly reason: ResumeProblem; readonly cursor: number };
}

export interface EventsRoutesDeps {
  readonly eventLog: EventLog;
  readonly requireAuth: RequestHandler;
}

/**
 * `GET /events?after=&limit=`: the user's stream as pages, for clients that cannot keep a stream
 * open. Same entries, same cursors and the same reset rules as `/stream`.
 */
export function eventsRoutes(deps: EventsRoutesDeps): Router {
  const router = Router();
  router.get('/events', deps.requireAuth, async (req, res) => {
    // The same cursor rule as the stream's Last-Event-ID; none means from the start.
    const after = parseCursorParam(req.query.after, 'after') ?? 0;
    const { limit } = parseInput(EventsQuery, { limit: req.query.limit }, 'query');
    const { userId } = claimsOf(req);
    const [head, oldest] = await Promise.all([deps.eventLog.headCursor(userId), deps.eventLog.oldestRetainedCursor(userId)]);

    const problem = resumeProblemOf(after, head, oldest);
    if (problem) {
      const page: EventsPage = { events: [], nextAfter: head, headCursor: head, reset: { reason: problem, cursor: head } };
      res.json(page);
      return;
    }
    const entries = await deps.eventLog.readAfter(userId, after, limit);
    const first = entries[0];
    // Retention ran between the check and the read: the page starts past a hole, so say so.
    const hole = first !== undefined && first.cursor > after + 1;
    const page: EventsPage = {
      events: entries.map((e) => ({ cursor: e.cursor, type: e.event.type, event: e.event })),
      nextAfter: entries.at(-1)?.cursor ?? after,
      headCursor: Math.max(head, entries.at(-1)?.cursor ?? 0),
      ...(hole && { reset: { reason: 'cursor_expired', cursor: first.cursor - 1 } }),
    };
    res.json(page);
  });
  return router;
}
