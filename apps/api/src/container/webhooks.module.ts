import {
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
import { defaultEventTypes, WebhookRetrySchedule, type WebhookObserver } from '@pushline/domain';
import { PrometheusWebhookObserver } from '@pushline/metrics-prometheus';
import {
  PrismaWebhookDeliveryLog,
  PrismaWebhookOutbox,
  PrismaWebhookQueue,
  PrismaWebhookStatusLog,
  PrismaWebhookSubscriptionRepository,
  readWebhookBacklog,
  type Database,
} from '@pushline/persistence-prisma';
import { CryptoWebhookSecretGenerator, HttpWebhookSender, WebhookDestinationPolicy, type HostResolver } from '@pushline/webhook-http';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { AdminTokenAppAuthorizer } from '../auth/admin-token-app-authorizer.js';
import type { Config } from '../config.js';
import { WebhookWorker } from '../jobs/webhook-worker.js';
import { TOKENS } from '../tokens.js';
import { WEBHOOK_TOKENS as W } from './webhook-tokens.js';

export interface WebhooksModuleOptions {
  /** Host resolution for the SSRF guard; tests inject one so no name is ever looked up in DNS. */
  readonly resolver?: HostResolver;
}

/** Webhook subscriptions, the delivery queue on the database, the HTTP sender and the worker. */
export function webhooksModule(config: Config, db: Database, options: WebhooksModuleOptions = {}): ContainerModule {
  const w = config.webhooks;
  const schedule = WebhookRetrySchedule.parse(w.retrySchedule);
  return new ContainerModule(({ bind }) => {
    const settings: WebhookSettings = { allowHttp: w.allowHttp, maxSubscriptionsPerApp: w.maxSubscriptionsPerApp, secretOverlapMs: w.secretOverlapMs };
    bind(W.Settings).toConstantValue(settings);
    bind(W.DestinationPolicy).toConstantValue(new WebhookDestinationPolicy(w.allowedHosts, options.resolver));
    bind(W.Sender)
      .toDynamicValue(
        (c) =>
          new HttpWebhookSender(c.get(W.DestinationPolicy), {
            timeoutMs: w.timeoutMs,
            ...(w.connectTimeoutMs && { connectTimeoutMs: w.connectTimeoutMs }),
            maxSocketsPerHost: w.concurrency,
          }),
      )
      .inSingletonScope();
    bind(W.SecretGenerator).toConstantValue(new CryptoWebhookSecretGenerator());
    bind(W.Outbox).toConstantValue(new PrismaWebhookOutbox({ firstDelayMs: schedule.delaysMs[0] ?? 0 }));
    bind(W.Subscriptions).toConstantValue(new PrismaWebhookSubscriptionRepository(db.prisma));
    bind(W.StatusLog).toConstantValue(new PrismaWebhookStatusLog(db.prisma));
    bind(W.DeliveryLog).toConstantValue(new PrismaWebhookDeliveryLog(db.prisma));
    bind(W.Queue).toConstantValue(new PrismaWebhookQueue(db.prisma));
    bind(W.AppAuthorizer).toConstantValue(new AdminTokenAppAuthorizer(config.ops.adminToken));
    bind<WebhookObserver>(W.Observer)
      .toDynamicValue((c) => {
        const metrics = new PrometheusWebhookObserver(c.get(TOKENS.MetricsRegistry), () => readWebhookBacklog(db.prisma));
        const logger = c.get<Logger>(TOKENS.Logger);
        return {
          attempted: (result, durationMs, statusCode) => metrics.attempted(result, durationMs, statusCode),
          disabled: (subscriptionId, owner, reason) => {
            metrics.disabled();
            logger.warn({ subscriptionId, appId: owner, reason }, 'webhook.disabled: subscription disabled after repeated failures');
          },
        };
      })
      .inSingletonScope();
    bind(W.Dispatch)
      .toDynamicValue(
        (c) =>
          new DispatchWebhooks(c.get(W.Queue), c.get(W.Sender), c.get(W.StatusLog), c.get(W.Observer), c.get(TOKENS.Clock), c.get(TOKENS.IdGenerator), {
            schedule,
            batchSize: w.concurrency,
            // An attempt lasts at most the timeout; the margin covers recording it.
            leaseMs: w.timeoutMs * 2 + 30_000,
            holder: config.ops.instanceId,
            disableAfterFailures: w.disableAfterFailures,
            ...(w.disableAfterFailingMs !== undefined && { disableAfterFailingMs: w.disableAfterFailingMs }),
          }),
      )
      .inSingletonScope();
    bind(W.Worker)
      .toDynamicValue((c) => new WebhookWorker(c.get(W.Dispatch), { pollMs: w.pollMs }, c.get(TOKENS.Logger)))
      .inSingletonScope();

    const nudge = (c: { get<T>(id: symbol): T }) => () => c.get<WebhookWorker>(W.Worker).nudge();
    const catalog = defaultEventTypes;
    bind(W.CreateSubscription)
      .toDynamicValue(
        (c) => new CreateWebhookSubscription(c.get(W.Subscriptions), c.get(W.DestinationPolicy), c.get(W.SecretGenerator), c.get(TOKENS.IdGenerator), c.get(TOKENS.Clock), catalog, settings),
      )
      .inSingletonScope();
    bind(W.UpdateSubscription)
      .toDynamicValue(
        (c) => new UpdateWebhookSubscription(c.get(W.Subscriptions), c.get(W.StatusLog), c.get(W.DestinationPolicy), c.get(TOKENS.IdGenerator), c.get(TOKENS.Clock), catalog, settings),
      )
      .inSingletonScope();
    bind(W.GetSubscription).toDynamicValue((c) => new GetWebhookSubscription(c.get(W.Subscriptions))).inSingletonScope();
    bind(W.ListSubscriptions).toDynamicValue((c) => new ListWebhookSubscriptions(c.get(W.Subscriptions))).inSingletonScope();
    bind(W.DeleteSubscription).toDynamicValue((c) => new DeleteWebhookSubscription(c.get(W.Subscriptions))).inSingletonScope();
    bind(W.RotateSecret)
      .toDynamicValue((c) => new RotateWebhookSecret(c.get(W.Subscriptions), c.get(W.SecretGenerator), c.get(TOKENS.Clock), settings))
      .inSingletonScope();
    bind(W.GetStatus).toDynamicValue((c) => new GetWebhookStatus(c.get(W.Subscriptions), c.get(W.StatusLog))).inSingletonScope();
    bind(W.ListDeliveries).toDynamicValue((c) => new ListWebhookDeliveries(c.get(W.Subscriptions), c.get(W.DeliveryLog))).inSingletonScope();
    bind(W.Redeliver)
      .toDynamicValue((c) => new RedeliverWebhook(c.get(W.Subscriptions), c.get(W.DeliveryLog), c.get(TOKENS.Clock), nudge(c)))
      .inSingletonScope();
    bind(W.RedeliverFailed)
      .toDynamicValue((c) => new RedeliverFailedWebhooks(c.get(W.Subscriptions), c.get(W.DeliveryLog), c.get(TOKENS.Clock), nudge(c)))
      .inSingletonScope();
    bind(W.ReplayEvents)
      .toDynamicValue((c) => new ReplayEventsToWebhook(c.get(W.DeliveryLog), c.get(TOKENS.Clock), nudge(c)))
      .inSingletonScope();
    bind(W.ListFailing).toDynamicValue((c) => new ListFailingWebhooks(c.get(W.StatusLog))).inSingletonScope();
  });
}
