import { Authenticate } from '@pushline/application';
import { SseDeliveryAdapter } from '@pushline/delivery-sse';
import { PrometheusHttpMetrics } from '@pushline/metrics-prometheus';
import { StreamHub } from '@pushline/stream-engine';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { UnauthenticatedConnectionCap } from '../http/connection-cap.js';
import { corsFor } from '../http/cors.middleware.js';
import { eventsRoutes } from '../http/events.routes.js';
import { streamFastPath } from '../http/stream-fast-path.js';
import { StreamOpenShedder } from '../http/stream-open-shedder.js';
import { streamRoutes } from '../http/stream.routes.js';

/**
 * A user's durable stream: live over SSE (WebSocket is attached by server.ts), or polled page by page.
 * `GET /api/v1/stream` is served ahead of express (stream-fast-path.ts); the express route stays for
 * what that does not take (HEAD) and the OpenAPI walk. Both admit through one shedder.
 */
export const streamingFeature = defineFeature({
  name: 'streaming',
  register(r, config) {
    r.provide(StreamOpenShedder, () => new StreamOpenShedder(config.stream.maxPendingOpens, config.stream.retryMs));
  },
  serve(services, config) {
    if (!config.transports.includes('sse')) return undefined;
    const connections = services.get(UnauthenticatedConnectionCap);
    return streamFastPath({
      sse: services.get(SseDeliveryAdapter),
      authenticate: services.get(Authenticate),
      metrics: services.get(PrometheusHttpMetrics),
      logger: services.get(Ports.Logger),
      shedder: services.get(StreamOpenShedder),
      ...(config.corsOrigins.length > 0 && { cors: corsFor(config.corsOrigins) }),
      onAuthenticated: (socket) => connections.authenticated(socket),
    });
  },
  routes(services, http) {
    const router = Router();
    if (http.config.transports.includes('sse')) {
      router.use(streamRoutes({ sse: services.get(SseDeliveryAdapter), hub: services.get(StreamHub), requireAuth: http.requireAuth, shedder: services.get(StreamOpenShedder) }));
    }
    router.use(eventsRoutes({ eventLog: services.get(Ports.EventLog), tenantLog: services.get(Ports.TenantEventLog), requireAuth: http.requireAuth }));
    return router;
  },
});
