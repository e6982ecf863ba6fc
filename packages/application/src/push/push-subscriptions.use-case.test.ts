import { describe, expect, it } from '@jest/globals';
import { LimitExceededError, NotFoundError, ValidationError } from '@pushline/domain';
import { FakeDestinationCheck, FixedClock, InMemoryPushSubscriptionRepository, SequentialIdGenerator } from '@pushline/testing';
import { SubscribeToPush } from './subscribe-to-push.use-case.js';
import { UnsubscribeFromPush } from './unsubscribe-from-push.use-case.js';

const keys = { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) };
const owner = { tenantId: 't-1', userId: 'u-1' };
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

function setup(allowHttp = false) {
  const repository = new InMemoryPushSubscriptionRepository();
  const clock = new FixedClock('2026-12-02T10:00:00.000Z');
  return {
    repository,
    subscribe: new SubscribeToPush(repository, new FakeDestinationCheck(['metadata.internal']), new SequentialIdGenerator(), clock, { allowHttp, maxPerUser: 2 }),
    unsubscribe: new UnsubscribeFromPush(repository),
  };
}

describe('push subscription use cases', () => {
  it('stores, renews and removes a subscription of the user; normalises base64 keys to base64url', async () => {
    const t = setup();
    const endpoint = 'https://push.example/send/abc';
    const first = await t.subscribe.execute({ ...owner, endpoint, keys: { p256dh: `${keys.p256dh.slice(0, -2)}+/`, auth: `${keys.auth}==` } });
    expect(first).toMatchObject({ created: true, subscription: { p256dh: `${keys.p256dh.slice(0, -2)}-_`, auth: keys.auth, expirationTime: null } });
    const again = await t.subscribe.execute({ ...owner, endpoint, keys, expirationTime: Date.parse('2026-12-03T00:00:00Z') });
    expect(again).toMatchObject({ created: false, subscription: { id: first.subscription.id, expirationTime: new Date('2026-12-03T00:00:00Z') } });
    await t.unsubscribe.execute(owner, endpoint);
    expect(await rejection(t.unsubscribe.execute(owner, endpoint))).toBeInstanceOf(NotFoundError);
  });

  it('refuses http unless allowed, a refused host, an expiry in the past and keys of the wrong shape, naming the field', async () => {
    const cases: [Parameters<SubscribeToPush['execute']>[0], string][] = [
      [{ ...owner, endpoint: 'http://push.example/x', keys }, 'endpoint'],
      [{ ...owner, endpoint: 'https://metadata.internal/x', keys }, 'endpoint'],
      [{ ...owner, endpoint: 'https://push.example/x', keys, expirationTime: Date.parse('2026-12-02T09:00:00Z') }, 'expirationTime'],
      [{ ...owner, endpoint: 'https://push.example/x', keys: { ...keys, p256dh: `C${'A'.repeat(86)}` } }, 'keys.p256dh'],
      [{ ...owner, endpoint: 'https://push.example/x', keys: { ...keys, auth: 'A'.repeat(21) } }, 'keys.auth'],
    ];
    const t = setup();
    for (const [input, field] of cases) expect(await rejection(t.subscribe.execute(input))).toMatchObject({ constructor: ValidationError, field });
    expect(t.repository.rows).toEqual([]);
    await expect(setup(true).subscribe.execute({ ...owner, endpoint: 'http://push.example/x', keys })).resolves.toMatchObject({ created: true });
  });

  it('caps subscriptions per user (429), not per endpoint renewal, and not across users', async () => {
    const t = setup();
    for (const n of [1, 2]) await t.subscribe.execute({ ...owner, endpoint: `https://push.example/${n}`, keys });
    expect(await rejection(t.subscribe.execute({ ...owner, endpoint: 'https://push.example/3', keys }))).toBeInstanceOf(LimitExceededError);
    await expect(t.subscribe.execute({ ...owner, endpoint: 'https://push.example/1', keys })).resolves.toMatchObject({ created: false });
    await expect(t.subscribe.execute({ tenantId: 't-1', userId: 'u-2', endpoint: 'https://push.example/3', keys })).resolves.toMatchObject({ created: true });
  });
});
