import type { NotificationOwner } from './notification.repository.port.js';

/**
 * The channels a notification may go out on; `in_app` is the stream and the inbox, `webhook` the
 * `notification.*` events posted to the apps the user installed (docs/notifications.md#channels).
 */
export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'web_push', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export type ChannelSettings = { readonly [C in NotificationChannel]: boolean };

/** A category's policy, declared once (application layer): defaults per channel and whether it is critical. */
export interface CategoryPolicy {
  readonly name: string;
  readonly description: string;
  /** A critical category (security alerts) cannot be muted: every channel stays on, whatever is stored. */
  readonly critical: boolean;
  readonly defaults: ChannelSettings;
  /**
   * Email and web push of this category go out as one message per user and window (with a count);
   * in-app still shows each notification. Windows are aligned to the epoch (`digestWindowOf`).
   */
  readonly digest?: { readonly windowMs: number };
}

/** What a user changed, per category; channels not mentioned keep their default. */
export type StoredPreferences = Readonly<Record<string, Partial<ChannelSettings>>>;

/**
 * A user's preference overrides. The owner is the user and their tenant (from the caller's
 * credentials or the stored row that names them); another tenant's id finds nothing.
 */
export interface PreferenceRepository {
  forUser(owner: NotificationOwner): Promise<StoredPreferences>;
  /** Merges `changes` into what is stored (per category and channel). */
  save(owner: NotificationOwner, changes: StoredPreferences, now: Date): Promise<void>;
}

/** What is in effect for one category: critical ones ignore any mute. */
export function effectiveChannels(policy: CategoryPolicy, stored: StoredPreferences): ChannelSettings {
  if (policy.critical) return { in_app: true, email: true, web_push: true, webhook: true };
  return { ...policy.defaults, ...stored[policy.name] };
}
