import type { AuthenticateApp, DeclareAppNotificationRule, DeleteAppNotificationRule, ListAppNotificationRules } from '@pushline/application';
import { APP_RULE_LIMITS, NOTIFICATION_PRIORITIES, type AppNotificationRule } from '@pushline/domain';
import type { Socket } from 'node:net';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { principalOf, requireAppKey } from './app-key.middleware.js';
import { parseInput } from './errors.js';

/** `POST /apps/:appId/notification-rules`: one rule per event type; declaring again replaces it. */
export const DeclareNotificationRuleBody = z
  .object({
    eventType: z.string().min(1).max(200),
    title: z.string().min(1, 'must not be empty').max(APP_RULE_LIMITS.titleTemplateMax),
    body: z.string().max(APP_RULE_LIMITS.bodyTemplateMax).optional(),
    priority: z.enum(NOTIFICATION_PRIORITIES).optional(),
    category: z.string().min(1).max(19).optional(),
  })
  .strict();

export const NotificationRuleParams = z.object({ appId: z.string().min(1).max(64), eventType: z.string().min(1).max(200) });

export interface AppNotificationRuleRoutesDeps {
  readonly authenticateApp: AuthenticateApp;
  readonly declareRule: DeclareAppNotificationRule;
  readonly listRules: ListAppNotificationRules;
  readonly deleteRule: DeleteAppNotificationRule;
  /** Per API key and per tenant (http/rate-limits.ts), run after the key is known. */
  readonly writeLimits: readonly RequestHandler[];
  /** The connection carried a valid key (HttpContext.connectionAuthenticated). */
  readonly onAuthenticated?: (socket: Socket) => void;
}

const toJson = (r: AppNotificationRule) => ({
  eventType: r.eventType,
  category: r.category,
  title: r.title,
  body: r.body,
  priority: r.priority,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** An app's declarative notification rules (scope `notifications:write`), docs/notifications.md. */
export function appNotificationRuleRoutes(deps: AppNotificationRuleRoutesDeps): Router {
  const router = Router();
  router.use(['/apps/:appId/notification-rules', '/apps/:appId/notification-rules/:eventType'], requireAppKey(deps.authenticateApp, deps.onAuthenticated));

  router.post('/apps/:appId/notification-rules', ...deps.writeLimits, async (req, res) => {
    const { category, body, priority, ...rest } = parseInput(DeclareNotificationRuleBody, req.body);
    const declared = await deps.declareRule.execute(principalOf(req), { ...rest, ...(body !== undefined && { body }), ...(priority && { priority }), ...(category && { category }) });
    res.status(declared.created ? 201 : 200).json(toJson(declared.rule));
  });

  router.get('/apps/:appId/notification-rules', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: (await deps.listRules.execute(principalOf(req))).map(toJson) });
  });

  router.delete('/apps/:appId/notification-rules/:eventType', ...deps.writeLimits, async (req, res) => {
    const { eventType } = parseInput(NotificationRuleParams, req.params);
    await deps.deleteRule.execute(principalOf(req), eventType);
    res.status(204).end();
  });

  return router;
}
