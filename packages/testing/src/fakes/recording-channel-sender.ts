import { ChannelSendError, type ChannelMessage, type NotificationChannelSender, type OutboundChannel } from '@pushline/domain';

/**
 * A channel sender that keeps what it was given; `failNext(n)` makes the next n sends throw (retryable
 * unless told otherwise), so a test can watch retries without a network.
 */
export class RecordingChannelSender implements NotificationChannelSender {
  readonly sent: ChannelMessage[] = [];
  attempts = 0;
  private failures: { retryable: boolean }[] = [];

  constructor(readonly channel: OutboundChannel) {}

  failNext(times: number, retryable = true): void {
    this.failures.push(...Array.from({ length: times }, () => ({ retryable })));
  }

  async send(message: ChannelMessage): Promise<void> {
    this.attempts += 1;
    const failure = this.failures.shift();
    if (failure) throw new ChannelSendError(`${this.channel} refused (test)`, failure.retryable);
    this.sent.push(message);
  }
}
