import { AuditLogHandler, EventHandlerRegistry, RunEventHandlers } from '@pushline/application';
import { PrometheusHandlerObserver } from '@pushline/metrics-prometheus';
import { PrismaAuditLog, PrismaHandlerJobQueue } from '@pushline/persistence-prisma';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { eventHandlerAdminRoutes } from '../http/event-handler-admin.routes.js';
import { HandlerWorker } from '../jobs/handler-worker.js';

/**
 * Event handlers fed from the outbox after commit: the queue, the worker, the operator's dead letters,
 * and the first handler, the audit log. Other features add handlers with their own `handlers` entry.
 */
export const eventHandlersFeature = defineFeature({
  name: 'event-handlers',
  register(r, config) {
    r.provide(PrismaHandlerJobQueue, (c) => new PrismaHandlerJobQueue(c.get(Ports.Database).prisma));
    r.provide(PrismaAuditLog, (c) => new PrismaAuditLog(c.get(Ports.Database).prisma));
    r.provide(PrometheusHandlerObserver, (c) => new PrometheusHandlerObserver(c.get(Ports.MetricsRegistry)));
    r.provide(
      RunEventHandlers,
      (c) =>
        new RunEventHandlers(
          c.get(PrismaHandlerJobQueue),
          c.get(EventHandlerRegistry),
          c.get(Ports.Clock),
          { maxAttempts: config.handlers.maxAttempts, baseBackoffMs: config.handlers.retryBaseMs },
          c.get(PrometheusHandlerObserver),
        ),
    );
    r.provide(HandlerWorker, (c) => new HandlerWorker(c.get(RunEventHandlers), { pollIntervalMs: config.handlers.pollMs }, c.get(Ports.Logger)));
  },
  handlers: (services) => [new AuditLogHandler(services.get(PrismaAuditLog))],
  routes(services, http) {
    const router = Router();
    router.use(
      eventHandlerAdminRoutes({
        queue: services.get(PrismaHandlerJobQueue),
        auditLog: services.get(PrismaAuditLog),
        now: () => services.get(Ports.Clock).now(),
        ...(http.config.ops.adminToken && { token: http.config.ops.adminToken }),
      }),
    );
    return router;
  },
});
