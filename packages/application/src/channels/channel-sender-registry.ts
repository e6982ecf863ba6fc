import type { NotificationChannelSender, OutboundChannel } from '@pushline/domain';

/**
 * The outbound channel senders of the app, one per channel. Features register theirs with one
 * `channels` entry (apps/api composition/feature.ts); a channel without a sender is simply not offered
 * (e.g. email while SMTP is not configured).
 */
export class ChannelSenderRegistry {
  private readonly byChannel = new Map<OutboundChannel, NotificationChannelSender>();

  constructor(senders: readonly NotificationChannelSender[] = []) {
    for (const sender of senders) this.register(sender);
  }

  register(sender: NotificationChannelSender): void {
    if (this.byChannel.has(sender.channel)) throw new Error(`a sender for channel ${sender.channel} is registered twice`);
    this.byChannel.set(sender.channel, sender);
  }

  get(channel: OutboundChannel): NotificationChannelSender | undefined {
    return this.byChannel.get(channel);
  }

  /** The channels that have a sender, in registration order. */
  get channels(): readonly OutboundChannel[] {
    return [...this.byChannel.keys()];
  }
}
