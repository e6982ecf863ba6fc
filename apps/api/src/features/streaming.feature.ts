import { SseDeliveryAdapter } from '@pushline/delivery-sse';
import { StreamHub } from '@pushline/stream-engine';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { eventsRoutes } from '../http/events.routes.js';
import { StreamOpenShedder } from '../http/stream-open-shedder.js';
import { streamRoutes } from '../http/stream.routes.js';

/** A user's durable stream: live over SSE (WebSocket is attached by server.ts), or polled page by page. */
export const streamingFeature = defineFeature({
  name: 'streaming',
  routes(services, http) {
    const router = Router();
    if (http.config.transports.includes('sse')) {
      const shedder = new StreamOpenShedder(http.config.stream.maxPendingOpens, http.config.stream.retryMs);
      router.use(streamRoutes({ sse: services.get(SseDeliveryAdapter), hub: services.get(StreamHub), requireAuth: http.requireAuth, shedder }));
    }
    router.use(eventsRoutes({ eventLog: services.get(Ports.EventLog), tenantLog: services.get(Ports.TenantEventLog), requireAuth: http.requireAuth }));
    return router;
  },
});
