import {
  digestKeyOf,
  digestWindowOf,
  effectiveChannels,
  notificationCreated,
  type CategoryPolicy,
  type ChannelDeliveryRepository,
  type DomainEvent,
  type EventHandler,
  type IdGenerator,
  type NewChannelDelivery,
  type NotificationRepository,
  type OutboundChannel,
  type PreferenceRepository,
} from '@pushline/domain';
import { categoryPolicy } from '../notifications/notification-categories.js';
import type { ChannelSenderRegistry } from './channel-sender-registry.js';

export interface DispatchChannelsOptions {
  /** Email and web push wait this long (`CHANNEL_GRACE_MS`): read on a device meanwhile, they are skipped. */
  readonly graceMs: number;
}

/**
 * After `notification.created` committed: one pending send record per outbound channel that has a
 * sender and that the user's preferences allow (critical categories ignore mutes), due after the
 * grace period or at the end of the category's digest window. Idempotent by (notification, channel):
 * a retried event adds nothing. The webhook channel has no record here: the outbox already posts
 * `notification.*` to the apps' subscriptions (docs/notifications.md#channels).
 */
export class DispatchChannelsHandler implements EventHandler {
  readonly name = 'notification-channels';
  readonly handles = [notificationCreated.name];

  constructor(
    private readonly deliveries: ChannelDeliveryRepository,
    private readonly senders: ChannelSenderRegistry,
    private readonly notifications: Pick<NotificationRepository, 'findById'>,
    private readonly preferences: PreferenceRepository,
    private readonly ids: IdGenerator,
    private readonly options: DispatchChannelsOptions,
    private readonly policyOf: (category: string) => CategoryPolicy | undefined = categoryPolicy,
  ) {}

  async handle(event: DomainEvent): Promise<void> {
    const data = notificationCreated.schema.parse(event.data);
    const channels = this.senders.channels.filter((c): c is Exclude<OutboundChannel, 'webhook'> => c !== 'webhook');
    if (channels.length === 0) return;
    // A category without a declared policy (none yet) has no outbound defaults: in-app only.
    const policy = this.policyOf(data.category);
    if (!policy) return;
    // The stored notification is the truth (tenant, whether it still exists); the event may be replayed late.
    const notification = await this.notifications.findById(data.notificationId);
    if (!notification || notification.isDeleted()) return;
    const allowed = effectiveChannels(policy, await this.preferences.forUser({ tenantId: notification.tenantId, userId: data.userId }));
    const { createdAt, inApp } = notification.toSnapshot();
    // The grace period waits for a device to read it first; a channel-only one is on no device.
    const afterGrace = inApp ? new Date(createdAt.getTime() + this.options.graceMs) : createdAt;

    const records: NewChannelDelivery[] = channels
      .filter((channel) => allowed[channel])
      .map((channel) => {
        const window = policy.digest && digestWindowOf(createdAt, policy.digest.windowMs);
        return {
          id: this.ids.next(),
          tenantId: notification.tenantId,
          userId: notification.userId,
          notificationId: notification.id,
          channel,
          category: data.category,
          digestKey: window ? digestKeyOf(notification.userId, channel, data.category, window.start) : null,
          nextAttemptAt: window && window.end > afterGrace ? window.end : afterGrace,
          createdAt,
        };
      });
    if (records.length > 0) await this.deliveries.add(records);
  }
}
