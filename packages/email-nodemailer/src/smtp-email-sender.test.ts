import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChannelSendError, type ChannelMessage } from '@pushline/domain';
import { describeChannelSenderContract, listUnsubscribeOf, SmtpReceiver } from '@pushline/testing';
import { SmtpEmailSender } from './smtp-email-sender.js';
import { HmacUnsubscribeTokens } from './unsubscribe-tokens.js';

const tokens = new HmacUnsubscribeTokens('a-secret-long-enough-for-the-test');
const message: ChannelMessage = {
  tenantId: 't1',
  userId: 'u1',
  channel: 'email',
  notificationIds: ['n1'],
  title: 'Your order has shipped <7>',
  body: 'Order 7 is on its way.',
  priority: 'normal',
  category: 'orders',
  action: { url: '/orders/7', label: 'Track' },
  count: 1,
};

function senderFor(receiver: { url: string }, recipient: string | null = 'alice@example.com') {
  return new SmtpEmailSender(
    { url: receiver.url, from: 'Pushline <no-reply@pushline.test>', timeoutMs: 5000 },
    { recipientOf: async () => recipient, publicUrl: () => 'http://127.0.0.1:9999', tokens, isCritical: (c) => c === 'security' },
  );
}

/** The email channel against a real SMTP server (`smtp-server`) on loopback, parsed by `mailparser`. */
describe('SmtpEmailSender', () => {
  let smtp: SmtpReceiver;
  let sender: SmtpEmailSender;

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    sender = senderFor(smtp);
  });
  afterAll(async () => {
    sender?.close();
    await smtp?.close();
  });

  it('sends HTML and text with the title as subject, the action link, and a signed RFC 8058 one-click unsubscribe', async () => {
    await sender.send(message);

    const [email] = smtp.received.slice(-1);
    expect(email!.to).toEqual(['alice@example.com']);
    expect(email!.mail.subject).toBe('Your order has shipped <7>');
    expect(email!.mail.from?.text).toContain('no-reply@pushline.test');
    expect(email!.mail.text).toContain('Order 7 is on its way.');
    expect(email!.mail.text).toContain('Track: http://127.0.0.1:9999/orders/7');
    expect(email!.mail.html).toContain('<h1>Your order has shipped &lt;7&gt;</h1>');
    const unsubscribe = listUnsubscribeOf(email!.mail);
    expect(unsubscribe?.oneClick).toBe(true);
    const url = new URL(unsubscribe!.url);
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:9999/api/v1/unsubscribe');
    expect(tokens.verify(url.searchParams.get('token')!)).toEqual({ userId: 'u1', category: 'orders', channel: 'email' });
    expect(email!.mail.html).toContain(url.searchParams.get('token')!);
  });

  it('offers no unsubscribe for a critical category (it cannot be muted)', async () => {
    await sender.send({ ...message, category: 'security', title: 'New sign-in' });
    const [email] = smtp.received.slice(-1);
    expect(email!.mail.subject).toBe('New sign-in');
    expect(email!.mail.headerLines.map((h) => h.key).filter((k) => k.startsWith('list-'))).toEqual([]);
  });

  it('a 5xx refusal is permanent, a 4xx one is retried, and so is a server that is not there', async () => {
    smtp.behave(() => ({ accept: false, code: 550, message: 'mailbox unavailable' }));
    const permanent = await sender.send(message).catch((e: unknown) => e);
    smtp.behave(() => ({ accept: false, code: 451, message: 'try again later' }));
    const transient = await sender.send(message).catch((e: unknown) => e);
    smtp.behave(() => ({ accept: true }));
    const closed = await SmtpReceiver.start();
    await closed.close();
    const unreachable = await senderFor(closed).send(message).catch((e: unknown) => e);

    expect(permanent).toBeInstanceOf(ChannelSendError);
    expect(permanent).toMatchObject({ retryable: false, message: expect.stringContaining('mailbox unavailable') });
    expect(transient).toMatchObject({ retryable: true, message: expect.stringContaining('try again later') });
    expect(unreachable).toMatchObject({ retryable: true });
  });

  it('refuses, for good, a user without an address', async () => {
    await expect(senderFor(smtp, null).send(message)).rejects.toMatchObject({ retryable: false });
  });

  it('unsubscribe tokens: another key, a changed claim or garbage verify to nothing', () => {
    const token = tokens.sign({ userId: 'u1', category: 'orders', channel: 'email' });
    const [body, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ u: 'u2', c: 'orders', ch: 'email' })).toString('base64url')}.${mac}`;
    expect(new HmacUnsubscribeTokens('another-secret').verify(token)).toBeNull();
    expect(tokens.verify(forged)).toBeNull();
    expect(tokens.verify(`${body}`)).toBeNull();
    expect(tokens.verify('x.y.z')).toBeNull();
  });
});

describeChannelSenderContract('SmtpEmailSender', 'email', async () => {
  let refusal: { code: number } | undefined;
  const smtp = await SmtpReceiver.start({
    behaviour: () => {
      const r = refusal;
      refusal = undefined;
      return r ? { accept: false, code: r.code, message: 'refused by the test' } : { accept: true };
    },
  });
  const sender = senderFor(smtp);
  return {
    sender,
    accepted: async () => smtp.received.length,
    refuseNext: (retryable) => void (refusal = { code: retryable ? 451 : 550 }),
    teardown: async () => {
      sender.close();
      await smtp.close();
    },
  };
});
