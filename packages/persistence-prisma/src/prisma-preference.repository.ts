import type { ChannelSettings, NotificationOwner, PreferenceRepository, StoredPreferences } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';

export class PrismaPreferenceRepository implements PreferenceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async forUser({ tenantId, userId }: NotificationOwner): Promise<StoredPreferences> {
    const rows = await this.prisma.notificationPreference.findMany({ where: { tenantId, userId } });
    return Object.fromEntries(
      rows.map((r) => {
        const channels: Partial<Record<keyof ChannelSettings, boolean>> = {};
        if (r.inApp !== null) channels.in_app = r.inApp;
        if (r.email !== null) channels.email = r.email;
        if (r.webPush !== null) channels.web_push = r.webPush;
        if (r.webhook !== null) channels.webhook = r.webhook;
        return [r.category, channels];
      }),
    );
  }

  async save({ tenantId, userId }: NotificationOwner, changes: StoredPreferences, now: Date): Promise<void> {
    // One transaction: a PUT of several categories is all or nothing.
    await this.prisma.$transaction(
      Object.entries(changes).map(([category, c]) => {
        const set = {
          ...(c.in_app !== undefined && { inApp: c.in_app }),
          ...(c.email !== undefined && { email: c.email }),
          ...(c.web_push !== undefined && { webPush: c.web_push }),
          ...(c.webhook !== undefined && { webhook: c.webhook }),
          updatedAt: now,
        };
        return this.prisma.notificationPreference.upsert({
          where: { userId_category: { userId, category }, tenantId },
          create: { tenantId, userId, category, ...set },
          update: set,
        });
      }),
    );
  }
}
