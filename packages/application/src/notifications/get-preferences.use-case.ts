import type { PreferenceRepository } from '@pushline/domain';
import { preferencesViewOf, type PreferencesView } from './preferences-view.js';

/** A user's preferences: every category with its channels in effect (defaults merged, critical ones all on). */
export class GetPreferences {
  constructor(private readonly preferences: PreferenceRepository) {}

  async execute(userId: string): Promise<PreferencesView> {
    return preferencesViewOf(await this.preferences.forUser(userId));
  }
}

