import type { ChannelSettings, NotificationOwner, PreferenceRepository, StoredPreferences } from '@pushline/domain';

const keyOf = ({ tenantId, userId }: NotificationOwner): string => `${tenantId}\u0000${userId}`;

/** Preferences per owner (tenant and user): another tenant's id finds nothing. */
export class InMemoryPreferenceRepository implements PreferenceRepository {
  readonly byOwner = new Map<string, Record<string, Partial<ChannelSettings>>>();

  async forUser(owner: NotificationOwner): Promise<StoredPreferences> {
    return structuredClone(this.byOwner.get(keyOf(owner)) ?? {});
  }

  async save(owner: NotificationOwner, changes: StoredPreferences, _now?: Date): Promise<void> {
    const mine = this.byOwner.get(keyOf(owner)) ?? {};
    for (const [category, channels] of Object.entries(changes)) mine[category] = { ...mine[category], ...channels };
    this.byOwner.set(keyOf(owner), mine);
  }
}
