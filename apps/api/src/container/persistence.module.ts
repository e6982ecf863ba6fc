import { AUDIT_LOG_HANDLER, auditEntryOf, categoryPolicy, EventHandlerRegistry } from '@pushline/application';
import { HandlerWorker } from '../jobs/handler-worker.js';
import { defaultEventTypes, WebhookRetrySchedule } from '@pushline/domain';
import { PrometheusRelayMetrics } from '@pushline/metrics-prometheus';
import {
  EventRetention,
  OutboxRelay,
  PrismaEventLog,
  PrismaTenantEventLog,
  PrismaNotificationCounter,
  PrismaNotificationRepository,
  PrismaOutbox,
  PrismaPreferenceRepository,
  PrismaPushSubscriptionRepository,
  PrismaSessionCheckReader,
  PrismaAppKeyCheckReader,
  PrismaSessionStore,
  PrismaTenantRepository,
  PrismaApiKeyRepository,
  PrismaAppEventTypeRepository,
  PrismaAppNotificationRuleRepository,
  PrismaAppInstallationRepository,
  PrismaAppRepository,
  PrismaChannelDeliveryRepository,
  PrismaEventArchive,
  PrismaUserRepository,
  PrismaWebhookOutbox,
  installedUsersReachable,
  webhookChannelMutes,
  type Database,
} from '@pushline/persistence-prisma';
import { ObservedStreamFanOut, UpcastingEventLog } from '@pushline/stream-engine';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';
import { WebhookQueuedSignal } from '../jobs/webhook-worker.js';

/** Repositories, the transactional outbox and its relay, on PostgreSQL or embedded PGlite. */
export function persistenceModule(config: Config, db: Database) {
  return containerModule((r) => {
    r.value(Ports.Database, db);
    r.value(Ports.UserRepository, new PrismaUserRepository(db.prisma));
    r.value(Ports.TenantRepository, new PrismaTenantRepository(db.prisma));
    r.value(Ports.AppRepository, new PrismaAppRepository(db.prisma));
    r.value(Ports.ApiKeyRepository, new PrismaApiKeyRepository(db.prisma));
    r.value(Ports.AppInstallationRepository, new PrismaAppInstallationRepository(db.prisma));
    r.value(Ports.AppEventTypeRepository, new PrismaAppEventTypeRepository(db.prisma));
    r.value(Ports.AppNotificationRuleRepository, new PrismaAppNotificationRuleRepository(db.prisma));
    r.value(Ports.EventArchive, new PrismaEventArchive(db.prisma));
    r.value(Ports.NotificationRepository, new PrismaNotificationRepository(db.prisma));
    r.value(Ports.NotificationCounter, new PrismaNotificationCounter(db.prisma));
    r.value(Ports.PreferenceRepository, new PrismaPreferenceRepository(db.prisma));
    r.value(Ports.PushSubscriptionRepository, new PrismaPushSubscriptionRepository(db.prisma));
    r.value(Ports.ChannelDeliveryRepository, new PrismaChannelDeliveryRepository(db.prisma));
    // Read back through the catalog's upcasters: replay and polling see every event at its current version.
    r.value(Ports.EventLog, new UpcastingEventLog(new PrismaEventLog(db.prisma), defaultEventTypes));
    r.value(Ports.EventAudienceLog, new PrismaEventLog(db.prisma));
    r.value(Ports.TenantEventLog, new PrismaTenantEventLog(db.prisma));
    r.value(PrismaSessionStore, new PrismaSessionStore(db.prisma));
    r.alias(Ports.SessionStore, PrismaSessionStore);
    r.value(Ports.SessionCheckReader, new PrismaSessionCheckReader(db.prisma));
    r.value(Ports.AppKeyCheckReader, new PrismaAppKeyCheckReader(db.prisma));
    r.value(EventRetention, new EventRetention(db.prisma));
    // Committed events that subscriptions select become webhook deliveries in the event's transaction.
    r.value(WebhookQueuedSignal, new WebhookQueuedSignal());
    r.value(PrismaWebhookOutbox, new PrismaWebhookOutbox({
        firstDelayMs: WebhookRetrySchedule.parse(config.webhooks.retrySchedule).delaysMs[0] ?? 0,
        // Apps hear only about users who installed them (and so only about their own tenant).
        audience: installedUsersReachable,
        // The webhook channel of the notification preferences: muted, a notification is not posted.
        mutedRows: webhookChannelMutes(categoryPolicy),
      }));
    r.provide(PrismaOutbox, (c) => {
      const webhooksQueued = c.get(WebhookQueuedSignal);
      const logger = c.get(Ports.Logger);
      const broker = c.get(Ports.StreamFanOut);
      const relayMetrics = c.get(PrometheusRelayMetrics);
      // Wrapped so each published batch is counted (metrics) without the relay knowing.
      return new PrismaOutbox(db.prisma, new ObservedStreamFanOut(broker, c.get(Ports.StreamObserver)), {
        relay: {
          pollIntervalMs: config.outboxPollMs,
          sweepAfterMs: config.outboxSweepAfterMs,
          fastPath: config.outboxFastPath,
          onDrained: (entries) => relayMetrics.drained(entries),
        },
        // Ephemeral events are never stored: straight to the broker after the commit, best effort.
        unitOfWork: {
          ephemeralFanOut: broker,
          maxStatementsInFlight: config.writeStatementsInFlight,
          parallelRows: config.writeParallelRows,
          onEphemeralError: (err) => logger.warn({ err }, 'ephemeral events not pushed'),
          // Resolved at publish time: handlers may depend on use cases that depend on this unit of work.
          handlersOf: (type, appId) => c.get(EventHandlerRegistry).subscribersOf(type, appId),
          // The audit handler's row goes with the event, in the same statement, instead of a job per
          // create (decision 57); only where the event-handlers feature registered that handler.
          inlineAudit: { handler: AUDIT_LOG_HANDLER, entryOf: auditEntryOf },
          onHandlerJobs: () => c.get(HandlerWorker).nudge(),
          webhooks: c.get(PrismaWebhookOutbox),
          onWebhooksQueued: () => webhooksQueued.notify(),
        },
        onRelayError: (err) => logger.error({ err }, 'outbox relay failed; will retry'),
      });
    });
    r.provide(OutboxRelay, (c) => c.get(PrismaOutbox).relay);
    r.provide(Ports.UnitOfWork, (c) => c.get(PrismaOutbox).unitOfWork);
  });
}
