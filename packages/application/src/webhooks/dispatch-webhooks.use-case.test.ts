import { describe, expect, it } from '@jest/globals';
import {
  WebhookRetrySchedule,
  WebhookSubscription,
  type LeasedWebhookDelivery,
  type WebhookAttempt,
  type WebhookAttemptOutcome,
  type WebhookAttemptResult,
  type WebhookQueue,
} from '@pushline/domain';
import { FixedClock, InMemoryWebhookSubscriptionRepository, RecordingWebhookSender, SequentialIdGenerator } from '@pushline/testing';
import { DispatchWebhooks } from './dispatch-webhooks.use-case.js';

/** A queue holding one delivery and counting failures like the SQL adapter does. */
class OneDeliveryQueue implements WebhookQueue {
  readonly recorded: { attempt: WebhookAttempt; outcome: WebhookAttemptOutcome }[] = [];
  private failures = 0;
  private failingSince: Date | null = null;
  private due = true;
  constructor(readonly delivery: LeasedWebhookDelivery) {}
  async lease() {
    if (!this.due) return [];
    this.due = false;
    return [{ ...this.delivery, attemptsMade: this.recorded.length }];
  }
  async record(_d: LeasedWebhookDelivery, attempt: WebhookAttempt, outcome: WebhookAttemptOutcome) {
    this.recorded.push({ attempt, outcome });
    this.failures = outcome.status === 'succeeded' ? 0 : this.failures + 1;
    this.failingSince = outcome.status === 'succeeded' ? null : (this.failingSince ?? attempt.at);
    this.due = outcome.status === 'pending';
    return { consecutiveFailures: this.failures, failingSince: this.failingSince };
  }
}

function setup(disableAfterFailures = 100, disableAfterFailingMs?: number) {
  const clock = new FixedClock('2026-12-01T10:00:00Z');
  const subscriptions = new InMemoryWebhookSubscriptionRepository();
  const subscription = WebhookSubscription.create({ id: 'sub-1', tenantId: 'tenant-test', owner: 'app', url: 'https://hooks.example.com/', eventTypes: ['*'], secret: 'whsec_a', now: clock.now() });
  void subscriptions.add(subscription);
  const queue = new OneDeliveryQueue({ id: 'd-1', leaseToken: 't', subscriptionId: 'sub-1', owner: 'app', url: 'https://hooks.example.com/', payload: '{}', replay: false, attemptsMade: 0, secrets: ['whsec_a'] });
  const sender = new RecordingWebhookSender();
  const results: WebhookAttemptResult[] = [];
  const disabled: string[] = [];
  const dispatch = new DispatchWebhooks(
    queue,
    sender,
    subscriptions,
    { attempted: (result) => results.push(result), disabled: (_id, _owner, reason) => disabled.push(reason) },
    clock,
    new SequentialIdGenerator(),
    { schedule: WebhookRetrySchedule.parse('0,1s,1m'), batchSize: 10, leaseMs: 60_000, holder: 'test', disableAfterFailures, ...(disableAfterFailingMs && { disableAfterFailingMs }) },
    () => 0.5,
  );
  return { clock, subscriptions, queue, sender, dispatch, results, disabled };
}

describe('DispatchWebhooks', () => {
  it('treats 2xx as success and anything else as a retry, until the schedule runs out', async () => {
    const t = setup();
    t.sender.answerWith((_r, n) => (n === 0 ? { statusCode: 302, error: 'redirect to http://[::1]/ not followed' } : { statusCode: null, error: 'ECONNREFUSED' }));
    for (let i = 0; i < 4; i += 1) await t.dispatch.execute();
    expect(t.queue.recorded.map((r) => r.outcome)).toEqual([
      { status: 'pending', nextAttemptAt: new Date('2026-12-01T10:00:01Z') },
      { status: 'pending', nextAttemptAt: new Date('2026-12-01T10:01:00Z') },
      { status: 'failed' },
    ]);
    expect(t.results).toEqual(['retrying', 'retrying', 'failed']);
    expect(t.sender.requests.map((r) => r.id)).toEqual(['d-1', 'd-1', 'd-1']);
  });

  it('signs with every secret the lease carries and marks replays', async () => {
    const t = setup();
    t.sender.answerWith(() => ({ statusCode: 204 }));
    await t.dispatch.execute();
    expect(t.sender.requests[0]).toMatchObject({ url: 'https://hooks.example.com/', secrets: ['whsec_a'], replay: false, body: '{}' });
    expect(t.queue.recorded[0]?.outcome).toEqual({ status: 'succeeded' });
  });

  it('disables the subscription after N consecutive failures, telling the observer once', async () => {
    const t = setup(2);
    t.sender.answerWith(() => ({ statusCode: 500 }));
    await t.dispatch.execute();
    expect(t.disabled).toEqual([]);
    await t.dispatch.execute();
    expect(t.disabled).toEqual(['2 consecutive failed attempts']);
    expect((await t.subscriptions.find({ tenantId: 'tenant-test', appId: 'app' }, 'sub-1'))?.enabled).toBe(false);
    expect(t.subscriptions.statusEvents.map((e) => e.type)).toEqual(['webhook.disabled']);
  });

  it('or after failing for WEBHOOK_DISABLE_AFTER_FAILING_FOR without a success', async () => {
    const t = setup(100, 60_000);
    t.sender.answerWith(() => ({ statusCode: 500 }));
    await t.dispatch.execute();
    t.clock.advance(61_000);
    await t.dispatch.execute();
    expect(t.disabled).toEqual(['failing for 61 s without a success']);
  });
});
