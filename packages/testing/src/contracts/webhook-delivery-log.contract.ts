import { TEST_TENANT_ID } from '../mothers/user.mother.js';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { WebhookSubscription, type DomainEvent, type WebhookDeliveryLog, type WebhookQueue, type WebhookSubscriptionRepository } from '@pushline/domain';
import { EventMother } from '../mothers/event.mother.js';

export interface WebhookDeliveryLogUnderTest {
  readonly deliveries: WebhookDeliveryLog;
  /** The queue over the same deliveries: how attempts get into the log. */
  readonly queue: WebhookQueue;
  readonly subscriptions: WebhookSubscriptionRepository;
  /** Queues one pending (not replayed) delivery of `event` due at `at`, as the outbox does at commit; resolves its id. */
  enqueue(subscriptionId: string, event: DomainEvent, at: Date): Promise<string>;
  teardown?(): Promise<void>;
}

const attempt = (at: Date, statusCode: number) => ({ at, statusCode, durationMs: 2, error: null, responseBody: `answer ${statusCode}` });

/**
 * What every WebhookDeliveryLog adapter must do. Times are far in the future and owners fresh per test,
 * so suites may share a database (leases are filtered to this test's subscription).
 */
export function describeWebhookDeliveryLogContract(name: string, setup: () => WebhookDeliveryLogUnderTest | Promise<WebhookDeliveryLogUnderTest>): void {
  describe(`${name} (WebhookDeliveryLog contract)`, () => {
    let subject: WebhookDeliveryLogUnderTest;
    let owner: string;
    let subscriptionId: string;
    let now: Date;
    const lease = async (at: Date) =>
      (await subject.queue.lease({ now: at, limit: 100, leaseMs: 30_000, holder: 'contract' })).filter((d) => d.subscriptionId === subscriptionId);
    const enqueue = (event: DomainEvent = EventMother.created(randomUUID())) => subject.enqueue(subscriptionId, event, now);
    const list = (limit = 20, after?: string) => subject.deliveries.list(owner, subscriptionId, { limit, ...(after && { after }) });
    /** Leases every due delivery of this subscription and records the same outcome for each. */
    const attemptAll = async (at: Date, statusCode: number, outcome: 'failed' | 'succeeded') => {
      for (const d of await lease(at)) await subject.queue.record(d, attempt(at, statusCode), { status: outcome });
    };

    beforeEach(async () => {
      subject = await setup();
      now = new Date(Date.UTC(2101, 0, 1) + Math.floor(Math.random() * 1e9));
      owner = `app-${randomUUID()}`;
      const s = WebhookSubscription.create({ id: randomUUID(), owner, tenantId: TEST_TENANT_ID, url: 'https://hooks.example.com/', eventTypes: ['*'], secret: 'whsec_b2xk', now });
      await subject.subscriptions.add(s);
      subscriptionId = s.id;
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it('lists newest first a page at a time, with every attempt oldest first; another owner sees none', async () => {
      const ids = [await enqueue(), await enqueue(), await enqueue()];
      const [first] = await lease(now);
      const retryAt = new Date(now.getTime() + 5000);
      await subject.queue.record(first!, attempt(now, 500), { status: 'pending', nextAttemptAt: retryAt });
      const [again] = (await lease(retryAt)).filter((d) => d.id === first!.id);
      await subject.queue.record(again!, attempt(retryAt, 204), { status: 'succeeded' });

      const page1 = await list(2);
      const page2 = await list(2, page1.nextCursor!);
      expect(page2.nextCursor).toBeNull();
      const items = [...page1.items, ...page2.items];
      expect(items.map((d) => d.id).sort()).toEqual([...ids].sort());
      const times = items.map((d) => d.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const retried = items.find((d) => d.id === first!.id)!;
      expect(retried).toMatchObject({ subscriptionId, eventType: 'notification.created', status: 'succeeded', replay: false, nextAttemptAt: null });
      expect(retried.attempts).toEqual([attempt(now, 500), attempt(retryAt, 204)]);
      expect(items.filter((d) => d.id !== first!.id).map((d) => [d.status, d.attempts.length])).toEqual([
        ['pending', 0],
        ['pending', 0],
      ]);
      await expect(subject.deliveries.list('another-app', subscriptionId, { limit: 20 })).resolves.toEqual({ items: [], nextCursor: null });
    });

    it('redelivers one delivery under its own id with a fresh attempt budget; not while leased, nor for another owner', async () => {
      const id = await enqueue();
      const [leased] = await lease(now);
      await expect(subject.deliveries.redeliver(owner, subscriptionId, id, now)).resolves.toBe(false);
      await subject.queue.record(leased!, attempt(now, 500), { status: 'failed' });
      await expect(subject.deliveries.redeliver('another-app', subscriptionId, id, now)).resolves.toBe(false);
      await expect(subject.deliveries.redeliver(owner, subscriptionId, randomUUID(), now)).resolves.toBe(false);

      const later = new Date(now.getTime() + 60_000);
      await expect(subject.deliveries.redeliver(owner, subscriptionId, id, later)).resolves.toBe(true);
      expect((await list()).items[0]).toMatchObject({ id, status: 'pending', nextAttemptAt: later });
      await expect(lease(new Date(later.getTime() - 1))).resolves.toEqual([]);
      const [resent] = await lease(later);
      expect(resent).toMatchObject({ id, attemptsMade: 0 });
    });

    it('redelivers every failed delivery created since a time, and only those', async () => {
      await enqueue();
      await enqueue();
      await attemptAll(now, 500, 'failed');
      const succeeded = await enqueue();
      await attemptAll(now, 200, 'succeeded');

      const wallClock = Date.now();
      await expect(subject.deliveries.redeliverFailedSince(owner, subscriptionId, new Date(wallClock + 3_600_000), now)).resolves.toBe(0);
      await expect(subject.deliveries.redeliverFailedSince('another-app', subscriptionId, new Date(wallClock - 3_600_000), now)).resolves.toBe(0);
      await expect(subject.deliveries.redeliverFailedSince(owner, subscriptionId, new Date(wallClock - 3_600_000), now)).resolves.toBe(2);
      const statuses = (await list()).items.map((d) => [d.id === succeeded ? 'the success' : 'a failure', d.status]);
      expect(statuses.sort()).toEqual([
        ['a failure', 'pending'],
        ['a failure', 'pending'],
        ['the success', 'succeeded'],
      ]);
      expect((await lease(now)).map((d) => d.attemptsMade)).toEqual([0, 0]);
    });

    it('replays events as new deliveries marked as replays, posting the envelope; none for a missing subscription', async () => {
      const event = EventMother.created(randomUUID(), 'replayed');
      const original = await enqueue(event);
      await attemptAll(now, 200, 'succeeded');

      const replayed = await subject.deliveries.replay(subscriptionId, [event], now);
      expect(replayed).toEqual([{ eventId: event.id, deliveryId: expect.any(String) }]);
      const deliveryId = replayed![0]!.deliveryId;
      expect(deliveryId).not.toBe(original);
      const items = (await list()).items;
      expect(items.map((d) => [d.id, d.eventId, d.replay, d.status]).sort()).toEqual(
        [
          [original, event.id, false, 'succeeded'],
          [deliveryId, event.id, true, 'pending'],
        ].sort(),
      );
      const [leased, ...rest] = await lease(now);
      expect(rest).toEqual([]);
      expect(leased).toMatchObject({ id: deliveryId, replay: true, attemptsMade: 0 });
      expect(JSON.parse(leased!.payload)).toEqual(JSON.parse(JSON.stringify(event)));

      await expect(subject.deliveries.replay(randomUUID(), [event], now)).resolves.toBeNull();
      await expect(subject.deliveries.replay(subscriptionId, [], now)).resolves.toEqual([]);
    });
  });
}
