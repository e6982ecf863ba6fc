import { afterEach, describe, expect, it } from '@jest/globals';
import { ChannelSendError, type ChannelMessage, type PushSubscription } from '@pushline/domain';
import { describeChannelSenderContract, InMemoryPushSubscriptionRepository, PushServiceReceiver, type BrowserPushSubscription } from '@pushline/testing';
import { WebhookDestinationPolicy } from '@pushline/webhook-http';
import { GuardedPushTransport } from './guarded-push-transport.js';
import { PUSH_PAYLOAD_MAX_BYTES } from './push-payload.js';
import { generateVapidKeys } from './vapid-keys.js';
import { WebPushChannelSender, type PushDeviceOutcome } from './web-push-channel-sender.js';

const alice = { tenantId: 'tenant-a', userId: 'alice' };
const bob = { tenantId: 'tenant-a', userId: 'bob' };
const keys = generateVapidKeys();
const vapid = { subject: 'mailto:ops@pushline.test', ...keys };

const message = (overrides: Partial<ChannelMessage> = {}): ChannelMessage => ({
  ...alice,
  channel: 'web_push',
  notificationIds: ['n-1'],
  title: 'Your order has shipped',
  body: 'Order 42 is on its way',
  priority: 'high',
  category: 'orders',
  action: { url: 'https://shop.example/orders/42', label: 'Track' },
  count: 1,
  ...overrides,
});

describe('WebPushChannelSender against a local push service', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(options: { allowed?: string[]; now?: () => Date } = {}) {
    const service = await PushServiceReceiver.start();
    cleanup.push(() => service.close());
    const transport = new GuardedPushTransport(new WebhookDestinationPolicy(options.allowed ?? ['127.0.0.1']), { timeoutMs: 5000 });
    cleanup.push(() => transport.close());
    const repository = new InMemoryPushSubscriptionRepository();
    const outcomes: { outcome: PushDeviceOutcome; reason?: string }[] = [];
    const sender = new WebPushChannelSender(repository, transport, { vapid, observe: (r) => outcomes.push(r), ...(options.now && { now: options.now }) });
    let n = 0;
    const store = async (owner: typeof alice, browser: BrowserPushSubscription, extra: Partial<PushSubscription> = {}) => {
      await repository.save({ id: `s-${++n}`, ...owner, endpoint: browser.endpoint, ...browser.keys, expirationTime: null, createdAt: new Date(), ...extra }, 20);
      return browser;
    };
    return { service, repository, sender, outcomes, store };
  }

  it('pushes to every subscription of the user: VAPID verifies, the body decrypts to the notification', async () => {
    const { service, sender, store } = await setup();
    const phone = await store(alice, service.subscribe({ applicationServerKey: keys.publicKey }));
    const laptop = await store(alice, service.subscribe({ applicationServerKey: keys.publicKey }));
    const bobs = await store(bob, service.subscribe());

    await sender.send(message());

    expect(service.received).toHaveLength(2);
    for (const push of service.received) {
      expect(push).toMatchObject({ vapidVerified: true, vapidPublicKey: keys.publicKey, urgency: 'high', ttl: 86_400, topic: expect.stringMatching(/^[\w-]{32}$/) });
      expect(push.vapidClaims).toMatchObject({ aud: service.origin, sub: 'mailto:ops@pushline.test' });
      expect(push.headers['content-encoding']).toBe('aes128gcm');
    }
    const expected = { title: 'Your order has shipped', body: 'Order 42 is on its way', url: 'https://shop.example/orders/42', notificationIds: ['n-1'], count: 1 };
    expect(service.payloadsFor(phone.endpoint)).toEqual([expected]);
    expect(service.payloadsFor(laptop.endpoint)).toEqual([expected]);
    expect(service.payloadsFor(bobs.endpoint)).toEqual([]);
  });

  it('maps priority to Urgency and TTL', async () => {
    const { service, sender, store } = await setup();
    await store(alice, service.subscribe());
    await sender.send(message({ priority: 'low' }));
    await sender.send(message({ priority: 'urgent' }));
    expect(service.received.map((p) => [p.urgency, p.ttl])).toEqual([
      ['low', 21_600],
      ['high', 259_200],
    ]);
  });

  it('removes a subscription the push service says is gone (410, 404) and still delivers to the others', async () => {
    const { service, repository, sender, store, outcomes } = await setup();
    const gone = await store(alice, service.subscribe());
    const kept = await store(alice, service.subscribe());
    service.unsubscribe(gone.endpoint);
    await store(alice, { ...service.subscribe(), endpoint: `${service.origin}/push/00000000-0000-0000-0000-000000000000` });

    await sender.send(message());

    expect((await repository.forUser(alice)).map((s) => s.endpoint)).toEqual([kept.endpoint]);
    expect(service.payloadsFor(kept.endpoint)).toHaveLength(1);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['removed', 'removed', 'sent']);
  });

  it('429 and 5xx are retryable and keep the subscription; the retry then arrives', async () => {
    const { service, repository, sender, store } = await setup();
    const phone = await store(alice, service.subscribe());
    for (const status of [500, 503, 429]) {
      service.answerWith(() => ({ status }));
      const error = await sender.send(message()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChannelSendError);
      expect(error).toMatchObject({ retryable: true, message: expect.stringContaining(`answered ${status}`) });
    }
    expect(await repository.forUser(alice)).toHaveLength(1);

    service.answerWith(() => ({ status: 201 }));
    await sender.send(message());
    // Every attempt carried the same Topic, so a push service replaces a copy still queued.
    expect(new Set(service.received.map((p) => p.topic)).size).toBe(1);
    expect(service.payloadsFor(phone.endpoint)).toHaveLength(4);
  });

  it('a network error is retryable; other 4xx (403: wrong VAPID key) are not', async () => {
    const { service, sender, store, repository } = await setup();
    await store(alice, { ...service.subscribe(), endpoint: 'http://127.0.0.1:1/push/closed-port' });
    expect(await sender.send(message()).catch((e: unknown) => e)).toMatchObject({ retryable: true });
    await repository.remove(alice, 'http://127.0.0.1:1/push/closed-port');

    const other = generateVapidKeys();
    await store(alice, service.subscribe({ applicationServerKey: other.publicKey }));
    const refused = await sender.send(message()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ChannelSendError);
    expect(refused).toMatchObject({ retryable: false, message: expect.stringContaining('answered 403') });
    expect(service.received.at(-1)).toMatchObject({ vapidVerified: false, vapidError: expect.stringContaining('applicationServerKey') });
  });

  it('bounds the payload to the 4 KiB push limit: a long digest still decrypts, cut with an ellipsis', async () => {
    const { service, sender, store } = await setup();
    const phone = await store(alice, service.subscribe());
    const ids = Array.from({ length: 300 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await sender.send(message({ notificationIds: ids, count: 300, title: 'Ünïcode "quoted" title', body: 'ß€😀"\n'.repeat(2000) }));

    const push = service.received[0]!;
    expect(Buffer.byteLength(push.plaintext!)).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    const [payload] = service.payloadsFor(phone.endpoint) as { body: string; title: string; count: number; notificationIds: string[] }[];
    expect(payload).toMatchObject({ title: 'Ünïcode "quoted" title', count: 300, notificationIds: ids.slice(0, 10) });
    expect(payload!.body.endsWith('…')).toBe(true);
    expect(payload!.body.length).toBeGreaterThan(1000);
  });

  it('refuses an endpoint that resolves inward (SSRF guard) and an expired subscription, removing both without a request', async () => {
    const { service, repository, sender, store, outcomes } = await setup({ allowed: [], now: () => new Date('2026-12-02T12:00:00Z') });
    await store(alice, service.subscribe());
    await store(alice, service.subscribe(), { expirationTime: new Date('2026-12-02T11:00:00Z') });

    await sender.send(message());

    expect(service.received).toEqual([]);
    expect(await repository.forUser(alice)).toEqual([]);
    expect(outcomes.map((o) => o.reason)).toEqual(
      expect.arrayContaining([expect.stringContaining('destination refused'), 'subscription expired']),
    );
  });

  it('does nothing for a user without subscriptions', async () => {
    const { service, sender } = await setup();
    await expect(sender.send(message())).resolves.toBeUndefined();
    expect(service.received).toEqual([]);
  });
});

// The channels' sender contract, against the real push service: 503 is a refusal for a while, 403 for good.
describeChannelSenderContract('WebPushChannelSender', 'web_push', async () => {
  const service = await PushServiceReceiver.start();
  const transport = new GuardedPushTransport(new WebhookDestinationPolicy(['127.0.0.1']), { timeoutMs: 5000 });
  const repository = new InMemoryPushSubscriptionRepository();
  const browser = service.subscribe({ applicationServerKey: keys.publicKey });
  await repository.save({ id: 's-1', tenantId: 't1', userId: 'u1', endpoint: browser.endpoint, ...browser.keys, expirationTime: null, createdAt: new Date() }, 20);
  let refusal: number | null = null;
  let accepted = 0;
  service.answerWith(() => {
    const status = refusal ?? 201;
    refusal = null;
    if (status === 201) accepted++;
    return { status };
  });
  return {
    sender: new WebPushChannelSender(repository, transport, { vapid }),
    accepted: async () => accepted,
    refuseNext: (retryable) => {
      refusal = retryable ? 503 : 403;
    },
    teardown: async () => {
      transport.close();
      await service.close();
    },
  };
});
