import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DispatchWebhooks } from '@pushline/application';
import { WebhookRetrySchedule, WebhookSubscription, type WebhookObserver } from '@pushline/domain';
import {
  createDatabase,
  PrismaUnitOfWork,
  PrismaWebhookDeliveryLog,
  PrismaWebhookOutbox,
  PrismaWebhookQueue,
  PrismaWebhookStatusLog,
  PrismaWebhookSubscriptionRepository,
  type Database,
} from '@pushline/persistence-prisma';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import { EventMother, FixedClock, TEST_TENANT_ID, WebhookReceiver, type ReceiverBehaviour } from '@pushline/testing';
import { CryptoWebhookSecretGenerator, HttpWebhookSender, WebhookDestinationPolicy } from '@pushline/webhook-http';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const quietObserver: WebhookObserver = { attempted: () => {}, disabled: () => {} };
const secrets = new CryptoWebhookSecretGenerator();

/**
 * The delivery worker's rounds on PostgreSQL with a clock the test moves: the retry schedule, jitter,
 * Retry-After, give-up, leases between two workers and after a crash, and the outbox hook.
 */
describe('DispatchWebhooks on PostgreSQL', () => {
  let db: TestDatabase;
  let second: Database;
  const cleanup: (() => Promise<void> | void)[] = [];
  const sender = new HttpWebhookSender(new WebhookDestinationPolicy(['127.0.0.1']), { timeoutMs: 5000 });

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    second = await createDatabase({ url: db.url! });
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
    await db.prisma.webhookSubscription.deleteMany();
  });
  afterAll(async () => {
    sender.close();
    await second?.dispose();
    await db?.dispose();
  });

  async function subscription(behaviour?: ReceiverBehaviour, extra: { userIds?: string[]; eventTypes?: string[] } = {}) {
    const secret = secrets.next();
    const receiver = await WebhookReceiver.start({ secrets: [secret], ...(behaviour && { behaviour }) });
    cleanup.push(() => receiver.close());
    const s = WebhookSubscription.create({ id: randomUUID(), owner: 'app-1', tenantId: TEST_TENANT_ID, url: receiver.url, eventTypes: extra.eventTypes ?? ['notification.*'], secret, now: new Date(), ...(extra.userIds && { userIds: extra.userIds }) });
    await new PrismaWebhookSubscriptionRepository(db.prisma).add(s);
    return { id: s.id, receiver };
  }

  const unitOfWork = (database: Database = db) => new PrismaUnitOfWork(database.prisma, undefined, { webhooks: new PrismaWebhookOutbox() });
  const publish = (count = 1, userId = randomUUID()) =>
    unitOfWork().run((scope) => scope.events.publish(Array.from({ length: count }, () => EventMother.created(userId))));

  function dispatcher(clock: FixedClock, options: { random?: () => number; database?: Database; schedule?: string; holder?: string; disableAfter?: number } = {}) {
    const database = options.database ?? db;
    return new DispatchWebhooks(
      new PrismaWebhookQueue(database.prisma),
      sender,
      new PrismaWebhookStatusLog(database.prisma),
      quietObserver,
      clock,
      { next: () => randomUUID() },
      {
        schedule: WebhookRetrySchedule.parse(options.schedule),
        batchSize: 16,
        leaseMs: 30 * SECOND,
        holder: options.holder ?? 'test',
        disableAfterFailures: options.disableAfter ?? 100,
      },
      options.random ?? (() => 0.5),
    );
  }

  const deliveriesOf = (subscriptionId: string) =>
    db.prisma.webhookDelivery.findMany({ where: { subscriptionId }, include: { attempts: { orderBy: { seq: 'asc' } } } });

  it('500, 500, 200: three attempts, at 0, 5 s and 5 min on the default schedule', async () => {
    const { id, receiver } = await subscription((n) => ({ status: n < 2 ? 500 : 200 }));
    await publish();
    const clock = new FixedClock(new Date());
    const dispatch = dispatcher(clock);

    expect(await dispatch.execute()).toBe(1);
    clock.advance(5 * SECOND - 1);
    expect(await dispatch.execute()).toBe(0);
    clock.advance(1);
    expect(await dispatch.execute()).toBe(1);
    clock.advance(5 * MINUTE - 1);
    expect(await dispatch.execute()).toBe(0);
    clock.advance(1);
    expect(await dispatch.execute()).toBe(1);
    clock.advance(24 * HOUR);
    expect(await dispatch.execute()).toBe(0);

    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 3, nextAttemptAt: null });
    expect(delivery!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(receiver.ids()).toEqual([delivery!.id]);
    expect(receiver.received.map((r) => r.verified[0])).toEqual([true, true, true]);
  });

  it('jitters each wait by up to ±10 %', async () => {
    const { id } = await subscription(() => ({ status: 500 }));
    await publish();
    const clock = new FixedClock(new Date());
    await dispatcher(clock, { random: () => 1 }).execute();
    const [delivery] = await deliveriesOf(id);
    expect(delivery!.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(5500);
  });

  it('honours Retry-After of a 503, and gives up after the last scheduled attempt', async () => {
    const { id } = await subscription(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    await publish();
    const clock = new FixedClock(new Date());
    const dispatch = dispatcher(clock);
    await dispatch.execute();
    const [afterFirst] = await deliveriesOf(id);
    expect(afterFirst!.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(HOUR);

    for (let attempt = 2; attempt <= 8; attempt += 1) {
      clock.advance(11 * HOUR);
      expect(await dispatch.execute()).toBe(1);
    }
    clock.advance(11 * HOUR);
    expect(await dispatch.execute()).toBe(0);
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 8, nextAttemptAt: null });
  });

  it('two workers on one database (separate connection pools) send each delivery once', async () => {
    const { id, receiver } = await subscription();
    await publish(120);
    const clock = new FixedClock(new Date(Date.now() + SECOND));
    const workers = [dispatcher(clock, { holder: 'a' }), dispatcher(clock, { database: second, holder: 'b' })];
    // allSettled: a failing worker must not leave the other running into the next test.
    const results = await Promise.allSettled(
      workers.map(async (w) => {
        while ((await w.execute()) > 0);
      }),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    expect(receiver.received).toHaveLength(120);
    expect(receiver.ids()).toHaveLength(120);
    expect(receiver.concurrentDuplicates).toEqual([]);
    const holders = await db.prisma.webhookDelivery.groupBy({ by: ['leasedBy'], where: { subscriptionId: id }, _count: true });
    expect(holders.map((h) => h.leasedBy).sort()).toEqual(['a', 'b']);
    expect(await db.prisma.webhookDelivery.count({ where: { subscriptionId: id, status: 'succeeded' } })).toBe(120);
  });

  it('a worker that died holding a lease: the delivery is sent again only once the lease ran out', async () => {
    const { id, receiver } = await subscription();
    await publish();
    const clock = new FixedClock(new Date(Date.now() + SECOND));
    const crashed = await new PrismaWebhookQueue(db.prisma).lease({ now: clock.now(), limit: 10, leaseMs: 30 * SECOND, holder: 'crashed' });
    expect(crashed).toHaveLength(1);

    const survivor = dispatcher(clock, { holder: 'survivor' });
    expect(await survivor.execute()).toBe(0);
    clock.advance(30 * SECOND + 1);
    expect(await survivor.execute()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    // The crashed worker's late answer changes nothing: its lease is gone.
    const late = await new PrismaWebhookQueue(db.prisma).record(crashed[0]!, { at: clock.now(), statusCode: 500, durationMs: 1, error: null, responseBody: null }, { status: 'failed' });
    expect(late).toBeNull();
    expect((await deliveriesOf(id))[0]).toMatchObject({ status: 'succeeded', attemptCount: 1 });
  });

  it('disables after N consecutive failures and leaves its deliveries pending', async () => {
    const { id } = await subscription(() => ({ status: 500 }));
    await publish(3);
    const clock = new FixedClock(new Date(Date.now() + SECOND));
    expect(await dispatcher(clock, { disableAfter: 3 }).execute()).toBe(3);
    const row = await db.prisma.webhookSubscription.findUnique({ where: { id } });
    expect(row).toMatchObject({ enabled: false, consecutiveFailures: 3, disabledReason: '3 consecutive failed attempts' });
    expect(await db.prisma.webhookStatusEvent.count({ where: { subscriptionId: id, type: 'webhook.disabled' } })).toBe(1);
    clock.advance(HOUR);
    expect(await dispatcher(clock).execute()).toBe(0);
  });

  it('queues deliveries in the event transaction only: a rolled-back unit of work queues none', async () => {
    const { id } = await subscription();
    await expect(
      unitOfWork().run(async (scope) => {
        await scope.events.publish([EventMother.created(randomUUID())]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.prisma.webhookDelivery.count({ where: { subscriptionId: id } })).toBe(0);
  });

  it('matches event types and the user filter', async () => {
    const bob = randomUUID();
    const onlyBob = await subscription(undefined, { userIds: [bob] });
    const onlyRead = await subscription(undefined, { eventTypes: ['notification.read'] });
    await publish(1, randomUUID());
    await publish(2, bob);
    expect(await db.prisma.webhookDelivery.count({ where: { subscriptionId: onlyBob.id } })).toBe(2);
    expect(await db.prisma.webhookDelivery.count({ where: { subscriptionId: onlyRead.id } })).toBe(0);
  });

  it('replays chosen events to a subscription as new deliveries marked as replays', async () => {
    const { id, receiver } = await subscription();
    const event = EventMother.created(randomUUID());
    await unitOfWork().run((scope) => scope.events.publish([event]));
    const clock = new FixedClock(new Date(Date.now() + SECOND));
    await dispatcher(clock).execute();

    // The delivery log's half of a replay (the use case's rules are tested end to end in webhook-replay).
    const replayed = await new PrismaWebhookDeliveryLog(db.prisma).replay(id, [event], clock.now());
    expect(replayed).toEqual([{ eventId: event.id, deliveryId: expect.any(String) }]);
    await dispatcher(clock).execute();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers['pushline-replay']).toBe('true');
    expect(receiver.received[1]?.id).not.toBe(receiver.received[0]?.id);
    expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({ id: event.id, type: 'notification.created' });
    expect(receiver.received[1]?.id).toBe(replayed![0]!.deliveryId);
    expect(receiver.received[1]?.verified).toEqual([true]);
  });
});
