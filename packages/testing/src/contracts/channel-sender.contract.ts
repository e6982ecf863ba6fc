import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ChannelSendError, type ChannelMessage, type NotificationChannelSender, type OutboundChannel } from '@pushline/domain';

export interface ChannelSenderUnderTest {
  readonly sender: NotificationChannelSender;
  /** How many messages the receiving end (SMTP server, push service, …) has accepted so far. */
  accepted(): Promise<number>;
  /** Makes the receiving end refuse the next message: for a while (retryable) or for good. */
  refuseNext(retryable: boolean): void;
  teardown?(): Promise<void>;
}

/**
 * What every channel sender must do: deliver one message per `send`, a digest as one, and fail with a
 * `ChannelSendError` that says whether retrying can help. Run by the fake and by each real sender
 * against its real receiving end on loopback.
 */
export function describeChannelSenderContract(name: string, channel: OutboundChannel, setup: () => ChannelSenderUnderTest | Promise<ChannelSenderUnderTest>): void {
  describe(`${name} (NotificationChannelSender contract)`, () => {
    let subject: ChannelSenderUnderTest;
    const message = (over: Partial<ChannelMessage> = {}): ChannelMessage => ({
      tenantId: 't1',
      userId: 'u1',
      channel,
      notificationIds: ['n1'],
      title: 'Contract title',
      body: 'Contract body',
      priority: 'normal',
      category: 'orders',
      count: 1,
      ...over,
    });

    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it(`is the ${channel} channel and delivers one message per send, a digest as one`, async () => {
      expect(subject.sender.channel).toBe(channel);
      const before = await subject.accepted();
      await subject.sender.send(message());
      await subject.sender.send(message({ notificationIds: ['n1', 'n2', 'n3'], count: 3, title: '3 new notifications' }));
      expect(await subject.accepted()).toBe(before + 2);
    });

    it('fails with a ChannelSendError saying whether a retry can help', async () => {
      const before = await subject.accepted();
      subject.refuseNext(true);
      const transient = await subject.sender.send(message()).catch((e: unknown) => e);
      subject.refuseNext(false);
      const permanent = await subject.sender.send(message()).catch((e: unknown) => e);

      expect(transient).toBeInstanceOf(ChannelSendError);
      expect(transient).toMatchObject({ retryable: true });
      expect(permanent).toBeInstanceOf(ChannelSendError);
      expect(permanent).toMatchObject({ retryable: false });
      expect(await subject.accepted()).toBe(before);
      // Refusals do not stick: the next message goes through.
      await subject.sender.send(message());
      expect(await subject.accepted()).toBe(before + 1);
    });
  });
}
