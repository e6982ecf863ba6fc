/** Channels that leave the process; `in_app` is the live stream and has no sender. */
export type OutboundChannel = 'email' | 'web_push' | 'webhook';

/** One message to one user on one channel: one notification, or a digest of several. */
export interface ChannelMessage {
  readonly tenantId: string;
  readonly userId: string;
  readonly channel: OutboundChannel;
  /** More than one for a digest. */
  readonly notificationIds: readonly string[];
  readonly title: string;
  readonly body: string;
  readonly priority: string;
  readonly category: string;
  readonly action?: { readonly url: string; readonly label: string };
  /** How many notifications the message stands for (1, or the digest size). */
  readonly count: number;
}

/** A send failed; `retryable` false means retrying cannot help (e.g. the address is refused). */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

/**
 * Sends messages on one outbound channel. Throws `ChannelSendError` on failure; any other error counts
 * as retryable. Delivery is at-least-once, so a sender may see the same message again after a crash.
 */
export interface NotificationChannelSender {
  readonly channel: OutboundChannel;
  send(message: ChannelMessage): Promise<void>;
}
