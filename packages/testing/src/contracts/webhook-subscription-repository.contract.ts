import { TEST_TENANT_ID } from '../mothers/user.mother.js';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { WebhookSubscription, type WebhookOwner, type WebhookStatusLog, type WebhookSubscriptionRepository } from '@pushline/domain';

export interface WebhookSubscriptionRepositoryUnderTest {
  readonly subscriptions: WebhookSubscriptionRepository;
  readonly statusLog: WebhookStatusLog;
  teardown?(): Promise<void>;
}

const OTHER_TENANT = 'tenant-webhooks-other';

const newSubscription = (owner: WebhookOwner, createdAt = new Date(Math.floor(Date.now() / 1000) * 1000)) =>
  WebhookSubscription.create({ id: randomUUID(), owner: owner.appId, tenantId: owner.tenantId, url: 'https://hooks.example.com/x', eventTypes: ['notification.*'], userIds: ['u1'], description: 'd', secret: 'whsec_c2VjcmV0', now: createdAt });

/**
 * What every WebhookSubscriptionRepository (+ WebhookStatusLog) adapter must do. Fresh owners per test;
 * an owner is an app id within a tenant, and the same app id under another tenant reaches nothing.
 */
export function describeWebhookSubscriptionRepositoryContract(name: string, setup: () => WebhookSubscriptionRepositoryUnderTest | Promise<WebhookSubscriptionRepositoryUnderTest>): void {
  describe(`${name} (WebhookSubscriptionRepository contract)`, () => {
    let subject: WebhookSubscriptionRepositoryUnderTest;
    let owner: WebhookOwner;
    let anotherApp: WebhookOwner;
    let sameAppElsewhere: WebhookOwner;
    beforeEach(async () => {
      subject = await setup();
      owner = { tenantId: TEST_TENANT_ID, appId: `app-${randomUUID()}` };
      anotherApp = { tenantId: TEST_TENANT_ID, appId: `app-${randomUUID()}` };
      sameAppElsewhere = { ...owner, tenantId: OTHER_TENANT };
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it('stores and finds a subscription within its owner only, to the millisecond', async () => {
      const s = newSubscription(owner);
      await subject.subscriptions.add(s);
      expect((await subject.subscriptions.find(owner, s.id))?.toSnapshot()).toEqual(s.toSnapshot());
      await expect(subject.subscriptions.find(anotherApp, s.id)).resolves.toBeNull();
      await expect(subject.subscriptions.count(owner)).resolves.toBe(1);
    });

    it("finds any owner's subscription for the operator only through findForOperator", async () => {
      const s = newSubscription(owner);
      await subject.subscriptions.add(s);
      expect((await subject.subscriptions.findForOperator(s.id))?.toSnapshot()).toEqual(s.toSnapshot());
      await expect(subject.subscriptions.findForOperator(randomUUID())).resolves.toBeNull();
    });

    it('lists failing subscriptions for the operator, most consecutive failures first', async () => {
      // Counts far above anything other suites sharing the database reach.
      const failing = (failures: number) => WebhookSubscription.restore({ ...newSubscription(owner).toSnapshot(), consecutiveFailures: failures, failingSince: failures > 0 ? new Date() : null });
      const [worst, bad, healthy] = [failing(2_000_000_002), failing(2_000_000_001), failing(0)];
      for (const s of [bad, healthy, worst]) await subject.subscriptions.add(s);
      const listed = await subject.statusLog.failing(2);
      expect(listed.map((s) => [s.id, s.consecutiveFailures])).toEqual([
        [worst.id, 2_000_000_002],
        [bad.id, 2_000_000_001],
      ]);
    });

    it('saves changes, but not into another owner', async () => {
      const s = newSubscription(owner);
      await subject.subscriptions.add(s);
      s.change({ description: 'changed', enabled: false }, new Date(s.toSnapshot().createdAt.getTime() + 1000));
      await expect(subject.subscriptions.save(s)).resolves.toBe(true);
      expect((await subject.subscriptions.find(owner, s.id))?.toSnapshot()).toMatchObject({ description: 'changed', enabled: false });
      const foreign = WebhookSubscription.restore({ ...s.toSnapshot(), owner: anotherApp.appId });
      await expect(subject.subscriptions.save(foreign)).resolves.toBe(false);
    });

    it("neither finds, counts, lists, saves nor removes a tenant's subscription through the same app id under another tenant", async () => {
      const s = newSubscription(owner);
      await subject.subscriptions.add(s);

      await expect(subject.subscriptions.find(sameAppElsewhere, s.id)).resolves.toBeNull();
      await expect(subject.subscriptions.count(sameAppElsewhere)).resolves.toBe(0);
      await expect(subject.subscriptions.list(sameAppElsewhere, { limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
      const moved = WebhookSubscription.restore({ ...s.toSnapshot(), tenantId: OTHER_TENANT, description: 'changed elsewhere' });
      await expect(subject.subscriptions.save(moved)).resolves.toBe(false);
      await expect(subject.subscriptions.remove(sameAppElsewhere, s.id)).resolves.toBe(false);

      expect((await subject.subscriptions.find(owner, s.id))?.toSnapshot()).toEqual(s.toSnapshot());
      await expect(subject.subscriptions.count(owner)).resolves.toBe(1);
    });

    it('lists oldest first in pages', async () => {
      const base = Date.now() - 10_000;
      const all = [newSubscription(owner, new Date(base)), newSubscription(owner, new Date(base + 1)), newSubscription(owner, new Date(base + 2))];
      for (const s of all) await subject.subscriptions.add(s);
      await subject.subscriptions.add(newSubscription(anotherApp));
      await subject.subscriptions.add(newSubscription(sameAppElsewhere));
      const first = await subject.subscriptions.list(owner, { limit: 2 });
      expect(first.items.map((s) => s.id)).toEqual(all.slice(0, 2).map((s) => s.id));
      const second = await subject.subscriptions.list(owner, { limit: 2, after: first.nextCursor! });
      expect(second.items.map((s) => s.id)).toEqual([all[2]!.id]);
      expect(second.nextCursor).toBeNull();
    });

    it('removes within the owner only', async () => {
      const s = newSubscription(owner);
      await subject.subscriptions.add(s);
      await expect(subject.subscriptions.remove(anotherApp, s.id)).resolves.toBe(false);
      await expect(subject.subscriptions.remove(owner, s.id)).resolves.toBe(true);
      await expect(subject.subscriptions.find(owner, s.id)).resolves.toBeNull();
    });

    it('disables once, recording why; the status events read newest first', async () => {
      const s = newSubscription(owner);
      await subject.subscriptions.add(s);
      const event = { id: randomUUID(), type: 'webhook.disabled' as const, subscriptionId: s.id, reason: '100 consecutive failed attempts', time: new Date(Date.now() + 1000) };
      await expect(subject.statusLog.disable(event)).resolves.toBe(true);
      await expect(subject.statusLog.disable({ ...event, id: randomUUID() })).resolves.toBe(false);
      expect((await subject.subscriptions.find(owner, s.id))?.toSnapshot()).toMatchObject({ enabled: false, disabledReason: event.reason });
      const enabled = { id: randomUUID(), type: 'webhook.enabled' as const, subscriptionId: s.id, reason: 're-enabled', time: new Date(Date.now() + 2000) };
      await subject.statusLog.record(enabled);
      expect((await subject.statusLog.events(owner.appId, s.id, 10)).map((e) => e.type)).toEqual(['webhook.enabled', 'webhook.disabled']);
      await expect(subject.statusLog.events(anotherApp.appId, s.id, 10)).resolves.toEqual([]);
    });
  });
}
