import { effectiveChannels, type CategoryPolicy, type ChannelSettings, type StoredPreferences } from '@pushline/domain';
import { NOTIFICATION_CATEGORIES } from './notification-categories.js';

export interface PreferencesView {
  readonly categories: Readonly<Record<string, { readonly critical: boolean; readonly channels: ChannelSettings }>>;
}

export type PreferenceChanges = Readonly<Record<string, { readonly channels?: Partial<ChannelSettings> }>>;

/** The user's app categories (`app.<slug>…` of the apps they installed) are listed after the built-in ones. */
export function preferencesViewOf(stored: StoredPreferences, appCategories: readonly CategoryPolicy[] = []): PreferencesView {
  return {
    categories: Object.fromEntries(
      [...NOTIFICATION_CATEGORIES, ...appCategories].map((policy) => [policy.name, { critical: policy.critical, channels: effectiveChannels(policy, stored) }]),
    ),
  };
}

