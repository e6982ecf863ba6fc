import type { AuditLog, HandlerJobQueue } from '@pushline/domain';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { hasBearerToken } from './bearer-token.js';
import { parseInput, sendError } from './errors.js';

export interface EventHandlerAdminDeps {
  readonly queue: HandlerJobQueue;
  readonly auditLog: AuditLog;
  readonly now: () => Date;
  /** `ADMIN_TOKEN`. Unset: these routes do not exist (404), like the rest of the admin API. */
  readonly token?: string;
}

export const DeadLetterQuery = z.object({ handler: z.string().min(1).max(100).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const DeadLetterParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a dead letter id') });
export const AuditLogQuery = z.object({
  userId: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(100).optional(),
  before: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The operator's view of the event handlers: dead letters (inspect, replay, purge) and the audit log. */
export function eventHandlerAdminRoutes(deps: EventHandlerAdminDeps): Router {
  const router = Router();
  const adminOnly: RequestHandler = (req, res, next) => {
    if (deps.token === undefined) return sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`);
    if (!hasBearerToken(req, deps.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      return sendError(res, 401, 'unauthenticated', 'the admin API needs the ADMIN_TOKEN bearer token');
    }
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  router.get('/admin/dead-letters', adminOnly, async (req, res) => {
    const query = parseInput(DeadLetterQuery, req.query);
    const dead = await deps.queue.listDead({ limit: query.limit, ...(query.handler && { handler: query.handler }) });
    res.json({
      items: dead.map((d) => ({ id: d.id, handler: d.handler, attempts: d.attempts, lastError: d.lastError, failedAt: d.failedAt.toISOString(), event: d.event })),
    });
  });

  router.post('/admin/dead-letters/:id/replay', adminOnly, async (req, res) => {
    const { id } = parseInput(DeadLetterParams, req.params);
    if (!(await deps.queue.replay(id, deps.now()))) return sendError(res, 404, 'not_found', `dead letter ${id} was not found`);
    res.status(202).json({ id, status: 'pending' });
  });

  // Dead letters stay until replayed or purged here: retention never removes them.
  router.delete('/admin/dead-letters/:id', adminOnly, async (req, res) => {
    const { id } = parseInput(z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a dead letter id') }), req.params);
    if (!(await deps.queue.purgeDead(id))) return sendError(res, 404, 'not_found', `dead letter ${id} was not found`);
    res.status(204).end();
  });

  router.get('/admin/audit-log', adminOnly, async (req, res) => {
    const q = parseInput(AuditLogQuery, req.query);
    const entries = await deps.auditLog.list({ limit: q.limit, ...(q.userId && { userId: q.userId }), ...(q.type && { type: q.type }), ...(q.before && { before: q.before }) });
    res.json({ items: entries.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })) });
  });

  return router;
}
