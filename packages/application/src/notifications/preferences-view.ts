import { effectiveChannels, type ChannelSettings, type StoredPreferences } from '@pushline/domain';
import { NOTIFICATION_CATEGORIES } from './notification-categories.js';

export interface PreferencesView {
  readonly categories: Readonly<Record<string, { readonly critical: boolean; readonly channels: ChannelSettings }>>;
}

export type PreferenceChanges = Readonly<Record<string, { readonly channels?: Partial<ChannelSettings> }>>;

export function preferencesViewOf(stored: StoredPreferences): PreferencesView {
  return {
    categories: Object.fromEntries(
      NOTIFICATION_CATEGORIES.map((policy) => [policy.name, { critical: policy.critical, channels: effectiveChannels(policy, stored) }]),
    ),
  };
}

