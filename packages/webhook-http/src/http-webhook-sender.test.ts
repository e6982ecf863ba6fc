import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { WebhookReceiver, type ReceiverBehaviour } from '@pushline/testing';
import { HttpWebhookSender } from './http-webhook-sender.js';
import { CryptoWebhookSecretGenerator } from './standard-webhooks-signature.js';
import { WebhookDestinationPolicy, type HostResolver } from './webhook-destination-policy.js';

const secrets = new CryptoWebhookSecretGenerator();
/** Never asks DNS: tests name hosts and say what they resolve to. */
const resolver =
  (table: Record<string, string>): HostResolver =>
  async (host) => {
    const address = table[host];
    if (!address) throw Object.assign(new Error(`no such host ${host}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };

const request = (url: string, secretList: string[], extra: { replay?: boolean } = {}) => ({
  url,
  id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
  body: JSON.stringify({ specversion: '1.0', type: 'notification.created', data: { title: 'Hi' } }),
  secrets: secretList,
  replay: extra.replay ?? false,
});

describe('HttpWebhookSender', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function receiver(secretList: string[], behaviour?: ReceiverBehaviour) {
    const r = await WebhookReceiver.start({ secrets: secretList, ...(behaviour && { behaviour }) });
    cleanup.push(() => r.close());
    return r;
  }

  function sender(allowed: string[], table: Record<string, string> = {}, timeoutMs = 5000) {
    const s = new HttpWebhookSender(new WebhookDestinationPolicy(allowed, resolver(table)), { timeoutMs });
    cleanup.push(() => s.close());
    return s;
  }

  it('signs so that standardwebhooks verifies it, with either secret during a rotation overlap', async () => {
    const [oldSecret, newSecret] = [secrets.next(), secrets.next()];
    const oldReceiver = await receiver([oldSecret]);
    const newReceiver = await receiver([newSecret]);
    const send = sender(['127.0.0.1']);

    const answers = await Promise.all([
      send.send(request(oldReceiver.url, [newSecret, oldSecret])),
      send.send(request(newReceiver.url, [newSecret, oldSecret])),
    ]);

    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(oldReceiver.received[0]?.verified).toEqual([true]);
    expect(newReceiver.received[0]?.verified).toEqual([true]);
    expect(String(oldReceiver.received[0]?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(oldReceiver.received[0]?.headers['webhook-id']).toBe('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
  });

  it('does not verify with a secret it was not signed with, and marks replays', async () => {
    const r = await receiver([secrets.next()]);
    await sender(['127.0.0.1']).send(request(r.url, [secrets.next()], { replay: true }));
    expect(r.received[0]?.verified).toEqual([false]);
    expect(r.received[0]?.headers['pushline-replay']).toBe('true');
  });

  it('records the status, at most 1 KiB of the body, and Retry-After of a 429', async () => {
    const r = await receiver([secrets.next()]);
    r.answerWith(() => ({ status: 429, headers: { 'retry-after': '120' }, body: 'x'.repeat(100_000) }));
    const answer = await sender(['127.0.0.1']).send(request(r.url, [secrets.next()]));
    expect(answer).toMatchObject({ statusCode: 429, retryAfterMs: 120_000, error: null });
    expect(answer.responseBody).toHaveLength(1024);
  });

  it('times out a receiver that never answers', async () => {
    const r = await receiver([secrets.next()]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    r.answerWith(async () => {
      await held;
      return { status: 200 };
    });
    cleanup.push(() => release());
    const answer = await sender(['127.0.0.1'], {}, 300).send(request(r.url, [secrets.next()]));
    expect(answer.statusCode).toBeNull();
    expect(answer.error).toMatch(/no complete response within 300 ms/);
  });

  describe('SSRF guard', () => {
    it.each([
      ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
      ['IPv4 loopback', 'http://127.0.0.1/'],
      ['IPv6 loopback', 'http://[::1]/'],
      ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/'],
      ['private network', 'http://10.1.2.3/'],
      ['a name resolving to 10.0.0.1', 'http://internal.example.test/'],
      ['a name that does not resolve', 'http://nowhere.example.test/'],
    ])('refuses %s before any connection', async (_name, url) => {
      const answer = await sender([], { 'internal.example.test': '10.0.0.1' }).send(request(url, [secrets.next()]));
      expect(answer.statusCode).toBeNull();
      expect(answer.error).toMatch(/^destination refused: /);
    });

    it('checks the address a name resolves to at connection time (the injected lookup decides)', async () => {
      const r = await receiver([secrets.next()]);
      const url = r.url.replace('127.0.0.1', 'receiver.example.test');
      const refused = await sender([], { 'receiver.example.test': '127.0.0.1' }).send(request(url, [secrets.next()]));
      expect(refused.error).toMatch(/receiver.example.test resolves to 127.0.0.1/);
      expect(r.received).toHaveLength(0);

      const allowed = await sender(['127.0.0.0/8'], { 'receiver.example.test': '127.0.0.1' }).send(request(url, [secrets.next()]));
      expect(allowed.statusCode).toBe(200);
      expect(r.received).toHaveLength(1);
    });

    it('follows no redirect, so a redirect to loopback reaches nothing', async () => {
      const inner = await receiver([secrets.next()]);
      const redirector = createServer((_req, res) => res.writeHead(302, { location: inner.url.replace('127.0.0.1', '[::1]') }).end());
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      cleanup.push(() => new Promise<void>((resolve) => redirector.close(() => resolve())));
      const url = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`;

      const answer = await sender(['127.0.0.1']).send(request(url, [secrets.next()]));

      expect(answer.statusCode).toBe(302);
      expect(answer.error).toMatch(/redirect to http:\/\/\[::1\].* not followed/);
      expect(inner.received).toHaveLength(0);
    });

    it('answers at subscription time why a destination is refused, and accepts a name not resolving yet', async () => {
      const policy = new WebhookDestinationPolicy([], resolver({ 'internal.example.test': '10.0.0.1', 'ok.example.test': '93.184.215.14' }));
      await expect(policy.refusal(new URL('http://169.254.169.254/'))).resolves.toMatch(/169.254.169.254/);
      await expect(policy.refusal(new URL('https://internal.example.test/'))).resolves.toMatch(/resolves to 10.0.0.1/);
      await expect(policy.refusal(new URL('https://ok.example.test/'))).resolves.toBeNull();
      await expect(policy.refusal(new URL('https://later.example.test/'))).resolves.toBeNull();
    });
  });
});
