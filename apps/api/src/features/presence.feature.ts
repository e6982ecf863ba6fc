import { ReportTyping } from '@pushline/application';
import { EventFactory } from '@pushline/domain';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { presenceRoutes } from '../http/presence.routes.js';

/** Live-only signals between a user's devices (typing). */
export const presenceFeature = defineFeature({
  name: 'presence',
  register(r) {
    r.provide(ReportTyping, (c) => new ReportTyping(c.get(Ports.UnitOfWork), c.get(Ports.Clock), c.get(EventFactory)));
    // new-use-case: bindings
  },
  routes(services, http) {
    const router = Router();
    router.use(presenceRoutes({ reportTyping: services.get(ReportTyping), requireAuth: http.requireAuth }));
    // new-use-case: routes
    return router;
  },
});
