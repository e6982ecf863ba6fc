import {
  AuthenticateApp,
  CreateWebhookSubscription,
  DeleteWebhookSubscription,
  DispatchWebhooks,
  GetWebhookStatus,
  GetWebhookSubscription,
  ListFailingWebhooks,
  ListWebhookDeliveries,
  ListWebhookSubscriptions,
  RedeliverFailedWebhooks,
  RedeliverWebhook,
  ReplayEventsToWebhook,
  RotateWebhookSecret,
  UpdateWebhookSubscription,
  type WebhookSettings,
} from '@pushline/application';
import { defaultEventTypes, WebhookRetrySchedule } from '@pushline/domain';
import { PrometheusWebhookObserver } from '@pushline/metrics-prometheus';
import {
  PrismaWebhookDeliveryLog,
  PrismaWebhookQueue,
  PrismaWebhookStatusLog,
  PrismaWebhookSubscriptionRepository,
  readWebhookBacklog,
} from '@pushline/persistence-prisma';
import { CryptoWebhookSecretGenerator, HttpWebhookSender, WebhookDestinationPolicy } from '@pushline/webhook-http';
import { Router } from 'express';
import { AdminTokenAppAuthorizer } from '../auth/admin-token-app-authorizer.js';
import { ApiKeyAppAuthorizer } from '../auth/api-key-app-authorizer.js';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import type { Resolver } from '../composition/typed-container.js';
import { appIdOf } from '../http/app-scope.middleware.js';
import { createRateLimiter } from '../http/rate-limits.js';
import { webhookAdminRoutes } from '../http/webhook-admin.routes.js';
import { webhookDeliveryRoutes } from '../http/webhook-delivery.routes.js';
import { webhookRoutes } from '../http/webhook.routes.js';
import { WebhookQueuedSignal, WebhookWorker } from '../jobs/webhook-worker.js';

/**
 * Webhooks: apps subscribe to events at a URL; matching committed events become deliveries in the
 * event's transaction (persistence module), which the worker of every instance leases, signs and sends.
 */
export const webhooksFeature = defineFeature({
  name: 'webhooks',
  register(r, config) {
    const w = config.webhooks;
    const schedule = WebhookRetrySchedule.parse(w.retrySchedule);
    const settings: WebhookSettings = { allowHttp: w.allowHttp, maxSubscriptionsPerApp: w.maxSubscriptionsPerApp, secretOverlapMs: w.secretOverlapMs };
    const prisma = (c: Resolver) => c.get(Ports.Database).prisma;

    r.value(WebhookDestinationPolicy, new WebhookDestinationPolicy(w.allowedHosts));
    const senderOptions = { timeoutMs: w.timeoutMs, maxSocketsPerHost: w.concurrency, ...(w.connectTimeoutMs && { connectTimeoutMs: w.connectTimeoutMs }) };
    r.provide(HttpWebhookSender, (c) => new HttpWebhookSender(c.get(WebhookDestinationPolicy), senderOptions));
    r.value(CryptoWebhookSecretGenerator, new CryptoWebhookSecretGenerator());
    r.provide(PrismaWebhookSubscriptionRepository, (c) => new PrismaWebhookSubscriptionRepository(prisma(c)));
    r.provide(PrismaWebhookStatusLog, (c) => new PrismaWebhookStatusLog(prisma(c)));
    r.provide(PrismaWebhookDeliveryLog, (c) => new PrismaWebhookDeliveryLog(prisma(c)));
    r.provide(PrismaWebhookQueue, (c) => new PrismaWebhookQueue(prisma(c)));
    // An app's API key (its scopes), or the operator's ADMIN_TOKEN for every app.
    r.provide(Ports.AppAuthorizer, (c) => new ApiKeyAppAuthorizer(c.get(AuthenticateApp), new AdminTokenAppAuthorizer(config.ops.adminToken, c.get(Ports.AppRepository))));
    r.provide(Ports.WebhookObserver, (c) => {
      const metrics = new PrometheusWebhookObserver(c.get(Ports.MetricsRegistry), () => readWebhookBacklog(prisma(c)));
      const logger = c.get(Ports.Logger);
      return {
        attempted: (result, durationMs, statusCode) => metrics.attempted(result, durationMs, statusCode),
        disabled: (subscriptionId, appId, reason) => {
          metrics.disabled();
          logger.warn({ subscriptionId, appId, reason }, 'webhook.disabled: subscription disabled after repeated failures');
        },
      };
    });
    r.provide(
      DispatchWebhooks,
      (c) =>
        new DispatchWebhooks(
          c.get(PrismaWebhookQueue),
          c.get(HttpWebhookSender),
          c.get(PrismaWebhookStatusLog),
          c.get(Ports.WebhookObserver),
          c.get(Ports.Clock),
          c.get(Ports.IdGenerator),
          {
            schedule,
            batchSize: w.concurrency,
            // An attempt lasts at most the timeout (connect included); the rest covers recording it.
            leaseMs: w.timeoutMs * 2 + 5_000,
            holder: config.ops.instanceId,
            disableAfterFailures: w.disableAfterFailures,
            ...(w.disableAfterFailingMs !== undefined && { disableAfterFailingMs: w.disableAfterFailingMs }),
          },
        ),
    );
    r.provide(WebhookWorker, (c) => new WebhookWorker(c.get(DispatchWebhooks), { pollMs: w.pollMs, concurrency: w.concurrency }, c.get(Ports.Logger)));
    r.whenBuilt(WebhookWorker, (worker, c) => c.get(WebhookQueuedSignal).listen(() => worker.nudge()));

    const nudge = (c: Resolver) => {
      const worker = c.get(WebhookWorker);
      return () => worker.nudge();
    };
    const catalog = defaultEventTypes;
    r.provide(
      CreateWebhookSubscription,
      (c) =>
        new CreateWebhookSubscription(
          c.get(PrismaWebhookSubscriptionRepository),
          c.get(WebhookDestinationPolicy),
          c.get(CryptoWebhookSecretGenerator),
          c.get(Ports.IdGenerator),
          c.get(Ports.Clock),
          catalog,
          settings,
          c.get(Ports.AppRepository),
        ),
    );
    r.provide(
      UpdateWebhookSubscription,
      (c) =>
        new UpdateWebhookSubscription(
          c.get(PrismaWebhookSubscriptionRepository),
          c.get(PrismaWebhookStatusLog),
          c.get(WebhookDestinationPolicy),
          c.get(Ports.IdGenerator),
          c.get(Ports.Clock),
          catalog,
          settings,
        ),
    );
    r.provide(GetWebhookSubscription, (c) => new GetWebhookSubscription(c.get(PrismaWebhookSubscriptionRepository)));
    r.provide(ListWebhookSubscriptions, (c) => new ListWebhookSubscriptions(c.get(PrismaWebhookSubscriptionRepository)));
    r.provide(DeleteWebhookSubscription, (c) => new DeleteWebhookSubscription(c.get(PrismaWebhookSubscriptionRepository)));
    r.provide(RotateWebhookSecret, (c) => new RotateWebhookSecret(c.get(PrismaWebhookSubscriptionRepository), c.get(CryptoWebhookSecretGenerator), c.get(Ports.Clock), settings));
    r.provide(GetWebhookStatus, (c) => new GetWebhookStatus(c.get(PrismaWebhookSubscriptionRepository), c.get(PrismaWebhookStatusLog)));
    r.provide(ListWebhookDeliveries, (c) => new ListWebhookDeliveries(c.get(PrismaWebhookSubscriptionRepository), c.get(PrismaWebhookDeliveryLog)));
    r.provide(RedeliverWebhook, (c) => new RedeliverWebhook(c.get(PrismaWebhookSubscriptionRepository), c.get(PrismaWebhookDeliveryLog), c.get(Ports.Clock), nudge(c)));
    r.provide(
      RedeliverFailedWebhooks,
      (c) => new RedeliverFailedWebhooks(c.get(PrismaWebhookSubscriptionRepository), c.get(PrismaWebhookDeliveryLog), c.get(Ports.Clock), nudge(c)),
    );
    // For the operator's replay (issue #10's `POST /admin/events/replay {target: {webhookId}}`).
    r.provide(
      ReplayEventsToWebhook,
      (c) =>
        new ReplayEventsToWebhook(
          {
            subscriptions: c.get(PrismaWebhookSubscriptionRepository),
            apps: c.get(Ports.AppRepository),
            installations: c.get(Ports.AppInstallationRepository),
            archive: c.get(Ports.EventArchive),
            deliveries: c.get(PrismaWebhookDeliveryLog),
            clock: c.get(Ports.Clock),
          },
          nudge(c),
        ),
    );
    r.provide(ListFailingWebhooks, (c) => new ListFailingWebhooks(c.get(PrismaWebhookStatusLog)));
    // new-use-case: bindings
  },
  routes(services, http) {
    const authorizer = services.get(Ports.AppAuthorizer);
    const router = Router();
    // The changing routes count against the app, beside its publish writes' per-key limit (same setting).
    const perApp = http.config.writeRateLimits.perApiKey;
    const writeLimits = [
      createRateLimiter(
        {
          name: 'webhook-writes',
          windowMs: 60_000,
          limit: perApp,
          keyOf: (req) => (req.res?.locals['appId'] === undefined ? undefined : appIdOf(req)),
          message: `at most ${perApp} webhook changes per minute per app; retry after the Retry-After seconds`,
        },
        services.get(Ports.RateLimitStores),
        http.onRateLimitStoreError,
      ),
    ];
    router.use(
      webhookRoutes({
        authorizer,
        onAuthenticated: http.connectionAuthenticated,
        create: services.get(CreateWebhookSubscription),
        update: services.get(UpdateWebhookSubscription),
        get: services.get(GetWebhookSubscription),
        list: services.get(ListWebhookSubscriptions),
        remove: services.get(DeleteWebhookSubscription),
        rotateSecret: services.get(RotateWebhookSecret),
        status: services.get(GetWebhookStatus),
        writeLimits,
      }),
    );
    router.use(
      webhookDeliveryRoutes({
        authorizer,
        onAuthenticated: http.connectionAuthenticated,
        list: services.get(ListWebhookDeliveries),
        redeliver: services.get(RedeliverWebhook),
        redeliverFailed: services.get(RedeliverFailedWebhooks),
        writeLimits,
      }),
    );
    router.use(webhookAdminRoutes({ requireAdmin: http.requireAdmin, listFailing: services.get(ListFailingWebhooks) }));
    // new-use-case: routes
    return router;
  },
});
