import type { NotificationPriority } from '../notification/notification-fields.js';

/**
 * An app's declarative notification rule: when the app publishes `eventType`, each recipient of the
 * event who installed the app gets a notification whose title and body are rendered from the event's
 * data (`{{field}}` placeholders only; docs/notifications.md).
 */
export interface AppNotificationRule {
  readonly tenantId: string;
  readonly appId: string;
  readonly eventType: string;
  /** `app.<slug>` or `app.<slug>.<name>`: preferences are per category, never critical. */
  readonly category: string;
  readonly title: string;
  readonly body: string;
  readonly priority: NotificationPriority;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const APP_RULE_LIMITS = {
  titleTemplateMax: 400,
  bodyTemplateMax: 2000,
  /** The declared part of a category: `app.<slug>.<name>` stays within a category's 64 characters. */
  categoryNamePattern: /^[a-z0-9][a-z0-9_-]{0,18}$/,
  /** Rules one app may declare. */
  maxPerApp: 100,
} as const;

export interface AppNotificationRuleRepository {
  /** Inserts or replaces the app's rule for its event type (keeps `createdAt` of a replaced one); returns it as stored. */
  upsert(rule: AppNotificationRule): Promise<AppNotificationRule>;
  find(appId: string, eventType: string): Promise<AppNotificationRule | null>;
  /** The app's rules, by event type. */
  listByApp(appId: string): Promise<readonly AppNotificationRule[]>;
  /** False when the app had no rule for the type. */
  remove(appId: string, eventType: string): Promise<boolean>;
  /** The categories of the rules of every app the user installed (within the user's tenant), sorted. */
  categoriesForUser(userId: string): Promise<readonly string[]>;
}
