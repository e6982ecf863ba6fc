import { CountEvents, QueryEvents, ReplayEventsToStreams, ReplayEventsToWebhook } from '@pushline/application';
import { EventFactory } from '@pushline/domain';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { eventAdminRoutes } from '../http/event-admin.routes.js';

/** The operator's event API (`ADMIN_TOKEN`): query, counts, replay to streams or to a webhook. */
export const eventAdminFeature = defineFeature({
  name: 'event-admin',
  register(r) {
    r.provide(QueryEvents, (c) => new QueryEvents(c.get(Ports.EventArchive)));
    r.provide(CountEvents, (c) => new CountEvents(c.get(Ports.EventArchive)));
    r.provide(ReplayEventsToStreams, (c) => new ReplayEventsToStreams(c.get(Ports.EventArchive), c.get(Ports.UnitOfWork), c.get(EventFactory)));
    // new-use-case: bindings
  },
  routes(services, http) {
    const router = Router();
    router.use(
      eventAdminRoutes({
        requireAdmin: http.requireAdmin,
        queryEvents: services.get(QueryEvents),
        countEvents: services.get(CountEvents),
        replayEvents: services.get(ReplayEventsToStreams),
        // Bound by the webhooks feature, which owns the subscriptions and their deliveries.
        replayToWebhook: services.get(ReplayEventsToWebhook),
      }),
    );
    // new-use-case: routes
    return router;
  },
});
