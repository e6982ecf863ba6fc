export type OutboundChannel = 'email' | 'web_push' | 'webhook';

export interface ChannelMessage {
  readonly tenantId: string;
  readonly userId: string;
  readonly channel: OutboundChannel;
  readonly notificationIds: readonly string[]; // >1 for a digest
  readonly title: string;
  readonly body: string;
  readonly priority: string;
  readonly category: string;
  readonly action?: { readonly url: string; readonly label: string };
  readonly count: number;
}

export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface NotificationChannelSender {
  readonly channel: OutboundChannel;
  send(message: ChannelMessage): Promise<void>;
}
