import { TEST_TENANT_ID } from '../mothers/user.mother.js';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { WebhookSubscription, type WebhookQueue, type WebhookStatusLog, type WebhookSubscriptionRepository } from '@pushline/domain';

export interface WebhookQueueUnderTest {
  readonly queue: WebhookQueue;
  readonly subscriptions: WebhookSubscriptionRepository;
  readonly statusLog: WebhookStatusLog;
  /** Queues one pending delivery due at `at` (what the outbox hook does at commit); resolves its id. */
  enqueue(subscriptionId: string, at: Date): Promise<string>;
  teardown?(): Promise<void>;
}

const attempt = (at: Date, statusCode: number | null) => ({ at, statusCode, durationMs: 3, error: statusCode === null ? 'ECONNREFUSED' : null, responseBody: null });

/** What every WebhookQueue adapter must do. Times are far in the future, so suites may share a database. */
export function describeWebhookQueueContract(name: string, setup: () => WebhookQueueUnderTest | Promise<WebhookQueueUnderTest>): void {
  describe(`${name} (WebhookQueue contract)`, () => {
    let subject: WebhookQueueUnderTest;
    let subscriptionId: string;
    let now: Date;
    const lease = (at: Date, limit = 100, leaseMs = 30_000) => subject.queue.lease({ now: at, limit, leaseMs, holder: 'contract' });
    const mine = async (at: Date, limit?: number) => (await lease(at, limit)).filter((d) => d.subscriptionId === subscriptionId);

    beforeEach(async () => {
      subject = await setup();
      now = new Date(Date.UTC(2100, 0, 1) + Math.floor(Math.random() * 1e9));
      const s = WebhookSubscription.create({ id: randomUUID(), owner: `app-${randomUUID()}`, tenantId: TEST_TENANT_ID, url: 'https://hooks.example.com/', eventTypes: ['*'], secret: 'whsec_b2xk', now });
      s.rotateSecret('whsec_bmV3', 60_000, now);
      await subject.subscriptions.add(s);
      subscriptionId = s.id;
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it('hands out a due delivery once, with its subscription and both secrets in the overlap', async () => {
      const id = await subject.enqueue(subscriptionId, now);
      const [leased, ...rest] = await mine(now);
      expect(rest).toEqual([]);
      expect(leased).toMatchObject({ id, subscriptionId, url: 'https://hooks.example.com/', attemptsMade: 0, secrets: ['whsec_bmV3', 'whsec_b2xk'] });
      await expect(mine(now)).resolves.toEqual([]);
    });

    it('gives concurrent leases disjoint deliveries', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => subject.enqueue(subscriptionId, now)));
      const batches = await Promise.all([mine(now, 7), mine(now, 7), mine(now, 7), mine(now, 7)]);
      const leased = batches.flat().map((d) => d.id);
      expect(new Set(leased).size).toBe(leased.length);
      expect(leased.sort()).toEqual([...ids].sort());
    });

    it('keeps a delivery until it is due, and schedules the retry the outcome names', async () => {
      await subject.enqueue(subscriptionId, new Date(now.getTime() + 1000));
      await expect(mine(now)).resolves.toEqual([]);
      const [d] = await mine(new Date(now.getTime() + 1000));
      const retryAt = new Date(now.getTime() + 60_000);
      await expect(subject.queue.record(d!, attempt(now, 500), { status: 'pending', nextAttemptAt: retryAt })).resolves.toEqual({ consecutiveFailures: 1, failingSince: now });
      await expect(mine(new Date(retryAt.getTime() - 1))).resolves.toEqual([]);
      const [again] = await mine(retryAt);
      expect(again?.attemptsMade).toBe(1);
      await expect(subject.queue.record(again!, attempt(retryAt, 204), { status: 'succeeded' })).resolves.toEqual({ consecutiveFailures: 0, failingSince: null });
      await expect(mine(new Date(retryAt.getTime() + 3_600_000))).resolves.toEqual([]);
    });

    it('takes a delivery back from an expired lease; the old holder records nothing', async () => {
      await subject.enqueue(subscriptionId, now);
      const [first] = await mine(now);
      await expect(mine(new Date(now.getTime() + 30_000))).resolves.toEqual([]);
      const [second] = await mine(new Date(now.getTime() + 30_001));
      expect(second?.id).toBe(first?.id);
      await expect(subject.queue.record(first!, attempt(now, 200), { status: 'succeeded' })).resolves.toBeNull();
      await expect(subject.queue.record(second!, attempt(now, 200), { status: 'succeeded' })).resolves.not.toBeNull();
    });

    it('does not hand out deliveries of a disabled subscription', async () => {
      await subject.enqueue(subscriptionId, now);
      await subject.statusLog.disable({ id: randomUUID(), type: 'webhook.disabled', subscriptionId, reason: 'test', time: now });
      await expect(mine(now)).resolves.toEqual([]);
    });
  });
}
