import { describe, expect, it } from '@jest/globals';
import { EventFactory, type ChannelSendOutcome, type DomainEvent } from '@pushline/domain';
import {
  FixedClock,
  InMemoryChannelDeliveryRepository,
  InMemoryPreferenceRepository,
  InMemoryUnitOfWork,
  RecordingChannelSender,
  SequentialIdGenerator,
} from '@pushline/testing';
import { ChangeNotificationState } from '../notifications/change-notification-state.use-case.js';
import { CreateNotification } from '../notifications/create-notification.use-case.js';
import { ChannelSenderRegistry } from './channel-sender-registry.js';
import { DispatchChannelsHandler } from './dispatch-channels.handler.js';
import { SendDueChannelMessages } from './send-due-channel-messages.use-case.js';

const GRACE_MS = 30_000;

function setup(options: { maxAttempts?: number } = {}) {
  // On a 10-minute boundary, so a digest window starts with the test.
  const clock = new FixedClock('2026-04-01T09:00:00.000Z');
  const uow = new InMemoryUnitOfWork();
  const factory = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
  const preferences = new InMemoryPreferenceRepository();
  const deliveries = new InMemoryChannelDeliveryRepository();
  const email = new RecordingChannelSender('email');
  const push = new RecordingChannelSender('web_push');
  const senders = new ChannelSenderRegistry([email, push]);
  const create = new CreateNotification(uow, new SequentialIdGenerator('n'), clock, factory);
  const change = new ChangeNotificationState(uow, clock, factory);
  const dispatch = new DispatchChannelsHandler(deliveries, senders, uow.notifications, preferences, new SequentialIdGenerator('d'), { graceMs: GRACE_MS });
  const observed: [string, ChannelSendOutcome, number][] = [];
  const send = new SendDueChannelMessages(deliveries, uow.notifications, senders, clock, { maxAttempts: options.maxAttempts ?? 4, baseBackoffMs: 1000 }, {
    onSend: (channel, outcome, n) => void observed.push([channel, outcome, n]),
  });
  /** Creates a notification and runs the dispatch handler on its committed `notification.created`, as the worker would. */
  const notify = async (userId: string, category: string, title = 'Hello') => {
    const [n] = await create.execute({ tenantId: 't1', userIds: [userId], title, category, source: 'module:test' });
    const event = uow.committedEvents.find((e): e is DomainEvent => e.type === 'notification.created' && (e.data as { notificationId: string }).notificationId === n!.id);
    await dispatch.handle(event!);
    return { id: n!.id, event: event! };
  };
  const records = (notificationId?: string) => deliveries.list({ ...(notificationId && { notificationId }), limit: 100 });
  return { clock, uow, preferences, deliveries, email, push, dispatch, send, change, notify, records, observed };
}

describe('channel dispatch', () => {
  it('sends email and web push once the grace period has passed, records each send, and adds nothing for a replayed event', async () => {
    const { clock, email, push, dispatch, send, notify, records, observed } = setup();
    const { id, event } = await notify('u1', 'orders', 'Your order has shipped');
    await dispatch.handle(event);

    expect((await records(id)).map((d) => [d.channel, d.status]).sort()).toEqual([
      ['email', 'pending'],
      ['web_push', 'pending'],
    ]);
    clock.advance(GRACE_MS - 1);
    expect(await send.execute()).toEqual({ sent: 0, retry: 0, failed: 0, skipped: 0 });

    clock.advance(1);
    expect(await send.execute()).toEqual({ sent: 2, retry: 0, failed: 0, skipped: 0 });
    expect(email.sent).toEqual([expect.objectContaining({ userId: 'u1', tenantId: 't1', channel: 'email', title: 'Your order has shipped', category: 'orders', count: 1, notificationIds: [id] })]);
    expect(push.sent).toHaveLength(1);
    expect((await records(id)).map((d) => [d.status, d.attempts.length])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(await send.execute(new Date(clock.now().getTime() + 3_600_000))).toEqual({ sent: 0, retry: 0, failed: 0, skipped: 0 });
    expect(observed).toEqual(expect.arrayContaining([['email', 'sent', 1], ['web_push', 'sent', 1]]));
  });

  it('a muted channel gets no record; a critical category ignores the mute; a channel without a sender is not offered', async () => {
    const { preferences, notify, records, clock } = setup();
    await preferences.save({ tenantId: 't1', userId: 'u1' }, { orders: { email: false }, security: { email: false, web_push: false } }, clock.now());

    const order = await notify('u1', 'orders');
    const alert = await notify('u1', 'security');
    // `test` has email and web push off by default; an undeclared category has no outbound channel.
    const own = await notify('u1', 'test');
    const undeclared = await notify('u1', 'billing');

    expect((await records(order.id)).map((d) => d.channel)).toEqual(['web_push']);
    expect((await records(alert.id)).map((d) => d.channel).sort()).toEqual(['email', 'web_push']);
    expect(await records(own.id)).toEqual([]);
    expect(await records(undeclared.id)).toEqual([]);
  });

  it('skips email and web push of a notification read on a device within the grace period', async () => {
    const { clock, email, push, send, change, notify, records } = setup();
    const read = await notify('u1', 'orders', 'read on the phone');
    const unread = await notify('u1', 'orders', 'nobody looked');
    clock.advance(5_000);
    await change.execute({ userId: 'u1', tenantId: 't1', notificationId: read.id, status: 'read' });

    clock.advance(GRACE_MS);
    expect(await send.execute()).toEqual({ sent: 2, retry: 0, failed: 0, skipped: 2 });

    expect([...email.sent, ...push.sent].map((m) => m.title)).toEqual(['nobody looked', 'nobody looked']);
    expect((await records(read.id)).map((d) => [d.status, d.reason])).toEqual([
      ['skipped', 'read_on_device'],
      ['skipped', 'read_on_device'],
    ]);
    expect((await records(unread.id)).every((d) => d.status === 'sent')).toBe(true);
  });

  it('digests a category: 5 notifications within the window are one email saying 5, while in-app has each', async () => {
    const { clock, uow, preferences, email, push, send, notify, records } = setup();
    await preferences.save({ tenantId: 't1', userId: 'u1' }, { mentions: { email: true } }, clock.now());
    const made = [];
    for (let i = 1; i <= 5; i++) {
      made.push(await notify('u1', 'mentions', `mention ${i}`));
      clock.advance(60_000);
    }
    // Past the grace period, inside the 10-minute window: nothing yet.
    expect(await send.execute()).toEqual({ sent: 0, retry: 0, failed: 0, skipped: 0 });

    clock.set('2026-04-01T09:10:00.000Z');
    await send.execute();

    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]).toMatchObject({ count: 5, title: '5 new notifications', category: 'mentions' });
    expect(email.sent[0]!.body).toContain('mention 5');
    expect([...email.sent[0]!.notificationIds].sort()).toEqual(made.map((m) => m.id).sort());
    expect(push.sent).toEqual([expect.objectContaining({ count: 5 })]);
    expect([...uow.notifications.rows.values()].filter((n) => n.category === 'mentions')).toHaveLength(5);
    expect((await records()).filter((d) => d.status === 'sent')).toHaveLength(10);

    // The next window starts a new digest.
    await notify('u1', 'mentions', 'mention 6');
    clock.set('2026-04-01T09:20:00.000Z');
    await send.execute();
    expect(email.sent.map((m) => m.count)).toEqual([5, 1]);
  });

  it('retries a failing channel with backoff without holding back the others, and fails it for good after the last attempt', async () => {
    const { clock, email, push, send, notify, records, observed } = setup({ maxAttempts: 3 });
    email.failNext(5);
    const { id } = await notify('u1', 'orders');
    clock.advance(GRACE_MS);

    expect(await send.execute()).toEqual({ sent: 1, retry: 1, failed: 0, skipped: 0 });
    expect(push.sent).toHaveLength(1);
    // Backoff: 1 s after the first failure, 2 s after the second.
    clock.advance(999);
    expect((await send.execute()).retry).toBe(0);
    clock.advance(1);
    expect((await send.execute()).retry).toBe(1);
    clock.advance(1_999);
    expect((await send.execute()).failed).toBe(0);
    clock.advance(1);
    expect((await send.execute()).failed).toBe(1);

    const emailRecord = (await records(id)).find((d) => d.channel === 'email')!;
    expect(emailRecord).toMatchObject({ status: 'failed', reason: 'email refused (test)' });
    expect(emailRecord.attempts.map((a) => a.error)).toEqual(['email refused (test)', 'email refused (test)', 'email refused (test)']);
    expect(email.attempts).toBe(3);
    expect(observed).toEqual(expect.arrayContaining([['email', 'retry', 1], ['email', 'failed', 1], ['web_push', 'sent', 1]]));
  });

  it('an error that cannot be retried fails the record at once; one that recovers is sent on the retry', async () => {
    const { clock, email, push, send, notify, records } = setup();
    email.failNext(1, false);
    push.failNext(1);
    const { id } = await notify('u1', 'orders');
    clock.advance(GRACE_MS);
    expect(await send.execute()).toEqual({ sent: 0, retry: 1, failed: 1, skipped: 0 });
    clock.advance(1000);
    expect(await send.execute()).toEqual({ sent: 1, retry: 0, failed: 0, skipped: 0 });
    expect((await records(id)).map((d) => [d.channel, d.status, d.attempts.length]).sort()).toEqual([
      ['email', 'failed', 1],
      ['web_push', 'sent', 2],
    ]);
  });
});
