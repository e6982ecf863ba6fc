import type { AppNotificationRuleRepository, NotificationOwner, PreferenceRepository } from '@pushline/domain';
import { appCategoryPolicy } from './app-categories.js';
import { preferencesViewOf, type PreferencesView } from './preferences-view.js';

/** The app categories a user can set: those of the rules of the apps they installed. */
export type AppCategorySource = Pick<AppNotificationRuleRepository, 'categoriesForUser'>;

/** A user's preferences: every category with its channels in effect (defaults merged, critical ones all on). */
export class GetPreferences {
  constructor(
    private readonly preferences: PreferenceRepository,
    private readonly appCategories?: AppCategorySource,
  ) {}

  /** `owner`: the caller's user and tenant, from its credentials. */
  async execute(owner: NotificationOwner): Promise<PreferencesView> {
    const apps = (await this.appCategories?.categoriesForUser(owner.userId)) ?? [];
    return preferencesViewOf(await this.preferences.forUser(owner), apps.map(appCategoryPolicy));
  }
}
