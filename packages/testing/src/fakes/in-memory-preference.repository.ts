import type { ChannelSettings, PreferenceRepository, StoredPreferences } from '@pushline/domain';

export class InMemoryPreferenceRepository implements PreferenceRepository {
  readonly byUser = new Map<string, Record<string, Partial<ChannelSettings>>>();

  async forUser(userId: string): Promise<StoredPreferences> {
    return structuredClone(this.byUser.get(userId) ?? {});
  }

  async save(userId: string, changes: StoredPreferences, _now?: Date): Promise<void> {
    const mine = this.byUser.get(userId) ?? {};
    for (const [category, channels] of Object.entries(changes)) mine[category] = { ...mine[category], ...channels };
    this.byUser.set(userId, mine);
  }
}
