import { NOTIFICATION_CHANNELS, ValidationError, type ChannelSettings, type Clock, type NotificationOwner, type PreferenceRepository } from '@pushline/domain';
import { appCategoryPolicy } from './app-categories.js';
import type { AppCategorySource } from './get-preferences.use-case.js';
import { categoryPolicy } from './notification-categories.js';
import { preferencesViewOf, type PreferenceChanges, type PreferencesView } from './preferences-view.js';

/**
 * Changes some channels of some categories (a partial body). An unknown category is a 400; muting a
 * channel of a critical category is a 400 naming it: critical categories cannot be muted.
 */
export class UpdatePreferences {
  constructor(
    private readonly preferences: PreferenceRepository,
    private readonly clock: Clock,
    private readonly appCategories?: AppCategorySource,
  ) {}

  /** `owner`: the caller's user and tenant, from its credentials. */
  async execute(owner: NotificationOwner, changes: PreferenceChanges): Promise<PreferencesView> {
    const stored: Record<string, Partial<ChannelSettings>> = {};
    const apps = (await this.appCategories?.categoriesForUser(owner.userId))?.map(appCategoryPolicy) ?? [];
    for (const [category, change] of Object.entries(changes)) {
      const policy = categoryPolicy(category) ?? apps.find((a) => a.name === category);
      if (!policy) throw new ValidationError(`categories.${category}`, `unknown category ${category}`);
      for (const channel of NOTIFICATION_CHANNELS) {
        const on = change.channels?.[channel];
        if (on === false && policy.critical) {
          throw new ValidationError(`categories.${category}.channels.${channel}`, `${category} is critical and cannot be muted`);
        }
      }
      if (change.channels && !policy.critical) stored[category] = change.channels;
    }
    if (Object.keys(stored).length > 0) await this.preferences.save(owner, stored, this.clock.now());
    return preferencesViewOf(await this.preferences.forUser(owner), apps);
  }
}
