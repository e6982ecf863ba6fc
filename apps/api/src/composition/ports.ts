import type {
  AppAuthorizer,
  ApiKeyGenerator,
  ApiKeyRepository,
  AppEventTypeRepository,
  AppNotificationRuleRepository,
  AppInstallationRepository,
  ChannelDeliveryRepository,
  AppRepository,
  Clock,
  EventArchive,
  ExternalTokenVerifier,
  JsonSchemaValidator,
  EventAudienceLog,
  EventLog,
  TenantEventLog,
  IdGenerator,
  NotificationCounter,
  NotificationRepository,
  PasswordHasher,
  PreferenceRepository,
  PushSubscriptionRepository,
  SessionCheckReader,
  AppKeyCheckReader,
  SessionStore,
  TenantRepository,
  StreamObserver,
  StreamFanOut,
  StreamSubscriber,
  StreamInterest,
  TokenService,
  UnitOfWork,
  UserRepository,
  WebhookObserver,
} from '@pushline/domain';
import type { Database } from '@pushline/persistence-prisma';
import type { Logger } from 'pino';
import type { Registry as MetricsRegistry } from 'prom-client';
import type { Config } from '../config.js';
import type { RateLimitStores } from '../http/rate-limits.js';
import { token } from './typed-container.js';

/**
 * Typed identifiers of the ports (interfaces) and plain values the app is composed of. Classes (use
 * cases, adapters) are their own identifiers and need no entry here; see docs/decisions/0010.
 */
export const Ports = {
  Config: token<Config>('Config'),
  Logger: token<Logger>('Logger'),
  Database: token<Database>('Database'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  UnitOfWork: token<UnitOfWork>('UnitOfWork'),
  EventLog: token<EventLog>('EventLog'),
  /** Who an event was written to (app rules notify an event's audience). */
  EventAudienceLog: token<EventAudienceLog>('EventAudienceLog'),
  TenantEventLog: token<TenantEventLog>('TenantEventLog'),
  UserRepository: token<UserRepository>('UserRepository'),
  TenantRepository: token<TenantRepository>('TenantRepository'),
  AppRepository: token<AppRepository>('AppRepository'),
  ApiKeyRepository: token<ApiKeyRepository>('ApiKeyRepository'),
  AppInstallationRepository: token<AppInstallationRepository>('AppInstallationRepository'),
  AppEventTypeRepository: token<AppEventTypeRepository>('AppEventTypeRepository'),
  AppNotificationRuleRepository: token<AppNotificationRuleRepository>('AppNotificationRuleRepository'),
  EventArchive: token<EventArchive>('EventArchive'),
  ApiKeyGenerator: token<ApiKeyGenerator>('ApiKeyGenerator'),
  JsonSchemaValidator: token<JsonSchemaValidator>('JsonSchemaValidator'),
  ExternalTokenVerifier: token<ExternalTokenVerifier>('ExternalTokenVerifier'),
  NotificationRepository: token<NotificationRepository>('NotificationRepository'),
  NotificationCounter: token<NotificationCounter>('NotificationCounter'),
  PreferenceRepository: token<PreferenceRepository>('PreferenceRepository'),
  PushSubscriptionRepository: token<PushSubscriptionRepository>('PushSubscriptionRepository'),
  /** Send records of the outbound channels (email, web push); docs/notifications.md#channels. */
  ChannelDeliveryRepository: token<ChannelDeliveryRepository>('ChannelDeliveryRepository'),
  StreamFanOut: token<StreamFanOut>('StreamFanOut'),
  StreamSubscriber: token<StreamSubscriber>('StreamSubscriber'),
  StreamInterest: token<StreamInterest>('StreamInterest'),
  StreamObserver: token<StreamObserver>('StreamObserver'),
  TokenService: token<TokenService>('TokenService'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  SessionStore: token<SessionStore>('SessionStore'),
  /** A token's session, user and tenant in one read (Authenticate; decision 56). */
  SessionCheckReader: token<SessionCheckReader>('SessionCheckReader'),
  /** An API key, its app and the app's tenant in one read (AuthenticateApp; decision 60). */
  AppKeyCheckReader: token<AppKeyCheckReader>('AppKeyCheckReader'),
  /** Rate-limit counters: this process, or Redis with EVENT_BUS=redis (http/rate-limits.ts). */
  RateLimitStores: token<RateLimitStores>('RateLimitStores'),
  MetricsRegistry: token<MetricsRegistry>('MetricsRegistry'),
  /** Whether a credential may act for an app with a scope (API keys, issue #10; the admin token until then). */
  AppAuthorizer: token<AppAuthorizer>('AppAuthorizer'),
  WebhookObserver: token<WebhookObserver>('WebhookObserver'),
} as const;
