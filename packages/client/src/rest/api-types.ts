// The REST shapes the SDK speaks. The server has no OpenAPI document yet, so these follow the routes'
// zod schemas (apps/api/src/http/*.routes.ts) and the notification center's documented API
// (docs/notifications.md once it lands): keep them in step with those.

export type NotificationPriority = 'low' | 'normal' | 'high' | 'urgent';

/** A notification as the API returns it. Fields after `updatedAt` come with the notification center. */
export interface Notification {
  readonly id: string;
  readonly title: string;
  readonly body: string | null;
  readonly priority: NotificationPriority;
  readonly data: Record<string, unknown> | null;
  /** `unread · seen · read · clicked`, and `dismissed` on servers before the notification center. */
  readonly status: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived?: boolean;
  readonly category?: string;
  readonly seenAt?: string | null;
  readonly readAt?: string | null;
  readonly archivedAt?: string | null;
  readonly snoozedUntil?: string | null;
  readonly expiredAt?: string | null;
  readonly expiresAt?: string | null;
  readonly action?: { readonly url: string; readonly label: string; readonly data?: Record<string, unknown> } | null;
}

/** The badge: `version` only grows, so of two answers the one with the lower version is stale. */
export interface NotificationCounts {
  readonly unseen: number;
  readonly unread: number;
  readonly version: number;
}

export interface NotificationPage {
  readonly items: readonly Notification[];
  readonly nextCursor: string | null;
}

export interface ListNotificationsQuery {
  readonly limit?: number;
  readonly before?: string;
  readonly status?: string;
  readonly category?: string;
  readonly priority?: NotificationPriority;
  readonly archived?: boolean | 'any';
  readonly since?: string;
}

export interface CreateNotificationInput {
  readonly title: string;
  readonly body?: string;
  readonly priority?: NotificationPriority;
  readonly data?: Record<string, unknown> | null;
  readonly expiresAt?: string;
  readonly action?: { readonly url: string; readonly label: string; readonly data?: Record<string, unknown> };
}

export interface NotificationPatch {
  readonly status?: 'seen' | 'read' | 'unread' | 'clicked' | 'dismissed';
  readonly archived?: boolean;
  readonly archivedAt?: string | null;
  readonly snoozedUntil?: string | null;
  readonly expiredAt?: string | null;
}

/** A state change's answer: the notification, and the counts once the server sends them. */
export type ChangedNotification = Notification & { readonly counts?: NotificationCounts };

export interface BulkFilter {
  readonly category?: string;
  readonly before?: string;
}

export interface LoginResult {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly user: { readonly id: string; readonly email: string };
}

export interface RefreshResult {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}

export interface CurrentUser {
  readonly id: string;
  readonly email: string;
  readonly createdAt: string;
}

export type Channel = 'in_app' | 'email' | 'web_push' | 'webhook';

export interface Preferences {
  readonly categories: Record<string, { readonly critical: boolean; readonly channels: Record<Channel, boolean> }>;
}

export interface PreferencesUpdate {
  readonly categories: Record<string, { readonly channels: Partial<Record<Channel, boolean>> }>;
}

/** A browser `PushSubscription.toJSON()`. */
export interface PushSubscriptionJson {
  readonly endpoint: string;
  readonly expirationTime?: number | null;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/** A stored push subscription, as `POST /push-subscriptions` answers (201 new, 200 renewed). */
export interface PushSubscriptionRecord {
  readonly id: string;
  readonly endpoint: string;
  /** ISO time, or null. */
  readonly expirationTime: string | null;
  readonly createdAt: string;
}

export interface EventsPage {
  readonly events: readonly { readonly cursor: number; readonly type: string; readonly event: unknown }[];
  readonly nextAfter: number;
  readonly headCursor: number;
  readonly reset?: { readonly reason: 'cursor_expired' | 'cursor_unknown'; readonly cursor: number };
}
