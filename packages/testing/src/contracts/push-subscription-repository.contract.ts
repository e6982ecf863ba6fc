import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { PushSubscription, PushSubscriptionRepository, UserRepository } from '@pushline/domain';
import { givenUser } from '../mothers/user.mother.js';

export interface PushSubscriptionRepositoryUnderTest {
  readonly subscriptions: PushSubscriptionRepository;
  readonly users: UserRepository;
  teardown?(): Promise<void>;
}

const at = (iso: string) => new Date(iso);

/** A subscription value with a fresh endpoint and keys of the right shape. */
export function aPushSubscription(owner: { tenantId: string; userId: string }, overrides: Partial<PushSubscription> = {}): PushSubscription {
  return {
    id: randomUUID(),
    ...owner,
    endpoint: `https://push.example.test/send/${randomUUID()}`,
    p256dh: `B${randomBytes(65).toString('base64url').slice(0, 86)}`,
    auth: randomBytes(16).toString('base64url'),
    expirationTime: null,
    createdAt: at('2026-12-02T10:00:00.000Z'),
    ...overrides,
  };
}

/** What every PushSubscriptionRepository adapter must do: per-user endpoints, renewal, an atomic cap, isolation. */
export function describePushSubscriptionRepositoryContract(
  name: string,
  setup: () => PushSubscriptionRepositoryUnderTest | Promise<PushSubscriptionRepositoryUnderTest>,
): void {
  describe(`${name} (PushSubscriptionRepository contract)`, () => {
    let subject: PushSubscriptionRepositoryUnderTest;
    beforeEach(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    async function owner(tenantId = 'tenant-test') {
      return { tenantId, userId: await givenUser(subject.users, new Date(), tenantId) };
    }

    it('stores subscriptions per user, oldest first, and renews the same endpoint in place', async () => {
      const alice = await owner();
      const first = aPushSubscription(alice, { createdAt: at('2026-12-02T10:00:00.000Z') });
      const second = aPushSubscription(alice, { createdAt: at('2026-12-02T10:05:00.000Z'), expirationTime: at('2027-01-01T00:00:00.000Z') });
      await expect(subject.subscriptions.save(first, 20)).resolves.toEqual({ kind: 'created', subscription: first });
      await subject.subscriptions.save(second, 20);
      expect(await subject.subscriptions.forUser(alice)).toEqual([first, second]);

      const renewedKeys = aPushSubscription(alice, { endpoint: first.endpoint, createdAt: at('2026-12-02T11:00:00.000Z') });
      const renewed = await subject.subscriptions.save(renewedKeys, 20);
      // Same row (id, creation time), new keys.
      expect(renewed).toEqual({ kind: 'renewed', subscription: { ...first, p256dh: renewedKeys.p256dh, auth: renewedKeys.auth } });
      expect((await subject.subscriptions.forUser(alice)).map((s) => [s.id, s.p256dh])).toEqual([
        [first.id, renewedKeys.p256dh],
        [second.id, second.p256dh],
      ]);
    });

    it('refuses a new endpoint beyond the cap, writing nothing, but still renews a known one', async () => {
      const alice = await owner();
      const kept = [aPushSubscription(alice), aPushSubscription(alice)];
      for (const s of kept) await subject.subscriptions.save(s, 2);
      await expect(subject.subscriptions.save(aPushSubscription(alice), 2)).resolves.toEqual({ kind: 'limit_reached' });
      expect(await subject.subscriptions.forUser(alice)).toHaveLength(2);
      await expect(subject.subscriptions.save(aPushSubscription(alice, { endpoint: kept[0]!.endpoint }), 2)).resolves.toMatchObject({ kind: 'renewed' });
    });

    it('holds the cap when subscriptions arrive at once', async () => {
      const alice = await owner();
      const results = await Promise.all(Array.from({ length: 6 }, () => subject.subscriptions.save(aPushSubscription(alice), 3)));
      expect(results.filter((r) => r.kind === 'created')).toHaveLength(3);
      expect(await subject.subscriptions.forUser(alice)).toHaveLength(3);
    });

    it('keeps users and tenants apart: the same endpoint is two subscriptions, and removal touches only its owner', async () => {
      const alice = await owner();
      const bob = await owner();
      const carol = await owner('tenant-other');
      const shared = aPushSubscription(alice);
      await subject.subscriptions.save(shared, 20);
      await subject.subscriptions.save(aPushSubscription(bob, { endpoint: shared.endpoint }), 20);
      await subject.subscriptions.save(aPushSubscription(carol), 20);

      // Another user's id under the wrong tenant finds nothing.
      expect(await subject.subscriptions.forUser({ tenantId: 'tenant-other', userId: alice.userId })).toEqual([]);
      await expect(subject.subscriptions.remove({ tenantId: 'tenant-other', userId: alice.userId }, shared.endpoint)).resolves.toBe(false);
      await expect(subject.subscriptions.remove(bob, shared.endpoint)).resolves.toBe(true);
      await expect(subject.subscriptions.remove(bob, shared.endpoint)).resolves.toBe(false);

      expect((await subject.subscriptions.forUser(alice)).map((s) => s.endpoint)).toEqual([shared.endpoint]);
      expect(await subject.subscriptions.forUser(bob)).toEqual([]);
      expect(await subject.subscriptions.forUser(carol)).toHaveLength(1);
    });
  });
}
