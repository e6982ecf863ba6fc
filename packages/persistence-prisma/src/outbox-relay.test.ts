import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DomainEvent, type StreamEntry, type StreamFanOut } from '@pushline/domain';
import { OutboxRelay } from './outbox-relay.js';
import { PrismaOutbox } from './prisma-outbox.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { unpublishedEntriesOf } from './testing/stream-outbox.js';
import { EventMother } from '@pushline/testing';


const readEvent = (userId: string): DomainEvent => EventMother.read(userId);

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Records what reached the broker, in arrival order; lets a test wait for entries or hook each call. */
class RecordingFanOut implements StreamFanOut {
  readonly entries: StreamEntry[] = [];
  calls = 0;
  private waiters: { userId: string; count: number; resolve: () => void }[] = [];

  constructor(private readonly beforeRecord: (call: number) => Promise<void> | void = () => {}) {}

  async fanOut(entries: readonly StreamEntry[]): Promise<void> {
    const call = ++this.calls;
    await this.beforeRecord(call);
    this.entries.push(...entries);
    this.waiters = this.waiters.filter((w) => (this.of(w.userId).length >= w.count ? (w.resolve(), false) : true));
  }

  of(userId: string): StreamEntry[] {
    return this.entries.filter((e) => e.userId === userId);
  }

  cursorsOf(userId: string): number[] {
    return this.of(userId).map((e) => e.cursor);
  }

  waitFor(userId: string, count: number): Promise<void> {
    if (this.of(userId).length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ userId, count, resolve }));
  }
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each(['pglite', 'postgres'] as const)('OutboxRelay on %s', (kind) => {
  let db: TestDatabase;
  let unitOfWork: PrismaUnitOfWork;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    unitOfWork = new PrismaUnitOfWork(db.prisma);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  async function commit(events: readonly DomainEvent[]): Promise<void> {
    await unitOfWork.run((scope) => scope.events.publish(events));
  }

  /** Two fresh users the relay puts in different partitions (of the default count). */
  async function usersInTwoPartitions(): Promise<[string, string]> {
    const candidates = Array.from({ length: 8 }, () => randomUUID());
    const rows = await db.prisma.$queryRaw<{ id: string; p: number }[]>`
      SELECT id, ((hashtext(id) & 2147483647) % 16)::int AS p FROM unnest(${candidates}::text[]) AS id`;
    const second = rows.find((row) => row.p !== rows[0]!.p)!;
    return [rows[0]!.id, second.id];
  }

  const pendingOf = (...userIds: string[]): Promise<number> => unpublishedEntriesOf(db.prisma, userIds);

  it("publishes committed entries in each user's cursor order and marks them published", async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const first = [readEvent(alice), readEvent(bob), readEvent(alice)];
    const second = [readEvent(bob), readEvent(bob)];
    const third = [readEvent(alice), readEvent(alice), readEvent(alice)];
    for (const events of [first, second, third]) await commit(events);
    const publisher = new RecordingFanOut();
    const relay = new OutboxRelay(db.prisma, publisher, { batchSize: 3 });

    await relay.drain();

    expect(publisher.of(alice)).toEqual(
      [first[0], first[2], ...third].map((event, i) => ({ userId: alice, cursor: i + 1, event })),
    );
    expect(publisher.of(bob)).toEqual([first[1], ...second].map((event, i) => ({ userId: bob, cursor: i + 1, event })));
    await expect(pendingOf(alice, bob)).resolves.toBe(0);

    await relay.drain();
    expect(publisher.of(alice)).toHaveLength(5);
  });

  it('leaves what a stopped relay did not reach to a new instance: nothing lost, nothing repeated', async () => {
    const userId = randomUUID();
    await commit(Array.from({ length: 35 }, () => readEvent(userId)));
    let first!: OutboxRelay;
    const firstPublisher = new RecordingFanOut((call) => {
      // Shut down while the first batch is in flight.
      if (call === 1) void first.stop();
    });
    first = new OutboxRelay(db.prisma, firstPublisher, { batchSize: 10 });

    await first.drain();
    const secondPublisher = new RecordingFanOut();
    await new OutboxRelay(db.prisma, secondPublisher, { batchSize: 10 }).drain();

    expect(firstPublisher.calls).toBe(1);
    expect(firstPublisher.cursorsOf(userId).length).toBeLessThan(35);
    expect([...firstPublisher.cursorsOf(userId), ...secondPublisher.cursorsOf(userId)]).toEqual(oneTo(35));
    await expect(pendingOf(userId)).resolves.toBe(0);
  });

  it('keeps a batch the publisher failed on unpublished, and publishes it on a later drain', async () => {
    const userId = randomUUID();
    const events = Array.from({ length: 4 }, () => readEvent(userId));
    await commit(events);
    const outage = new Error('broker unreachable');
    const publisher = new RecordingFanOut((call) => {
      if (call === 1) throw outage;
    });
    const relay = new OutboxRelay(db.prisma, publisher);

    await expect(relay.drain()).rejects.toBe(outage);
    await expect(pendingOf(userId)).resolves.toBe(4);

    await relay.drain();
    expect(publisher.of(userId)).toEqual(events.map((event, i) => ({ userId, cursor: i + 1, event })));
    await expect(pendingOf(userId)).resolves.toBe(0);
  });

  it('reports a failed nudge to onError', async () => {
    const userId = randomUUID();
    await commit([readEvent(userId)]);
    const outage = new Error('broker unreachable');
    const reported = deferred();
    const errors: unknown[] = [];
    const relay = new OutboxRelay(
      db.prisma,
      new RecordingFanOut(() => {
        throw outage;
      }),
      {},
      (error) => {
        errors.push(error);
        reported.resolve();
      },
    );

    relay.nudge();
    await reported.promise;

    expect(errors).toEqual([outage]);
    await expect(pendingOf(userId)).resolves.toBe(1);
    // Leave nothing pending for the other tests' relays.
    await new OutboxRelay(db.prisma, new RecordingFanOut()).drain();
  });

  /** A publisher whose first call blocks until `release()`; counts overlapping calls. */
  function gatedPublisher() {
    const gate = deferred();
    const firstCall = deferred();
    const state = { inFlight: 0, maxInFlight: 0 };
    const publisher = new RecordingFanOut(async (call) => {
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      if (call === 1) {
        firstCall.resolve();
        await gate.promise;
      }
      state.inFlight--;
    });
    return { publisher, state, firstCallStarted: firstCall.promise, release: gate.resolve };
  }

  it('never runs two batches at once, however often it is nudged or drained meanwhile', async () => {
    const userId = randomUUID();
    await commit(Array.from({ length: 5 }, () => readEvent(userId)));
    const { publisher, state, firstCallStarted, release } = gatedPublisher();
    const relay = new OutboxRelay(db.prisma, publisher);

    relay.nudge();
    await firstCallStarted;
    relay.nudge();
    const drained = [relay.drain(), relay.drain()];
    relay.nudge();
    release();
    await Promise.all(drained);

    expect(state.maxInFlight).toBe(1);
    expect(publisher.cursorsOf(userId)).toEqual(oneTo(5));
  });

  if (kind === 'postgres') {
    // On PGlite a commit waits for the relay's transaction (one connection), so this needs PostgreSQL.
    it('also publishes what committed while a batch was in flight when drained meanwhile', async () => {
      const userId = randomUUID();
      await commit(Array.from({ length: 5 }, () => readEvent(userId)));
      const { publisher, state, firstCallStarted, release } = gatedPublisher();
      const relay = new OutboxRelay(db.prisma, publisher);

      relay.nudge();
      await firstCallStarted;
      await commit(Array.from({ length: 5 }, () => readEvent(userId)));
      const drained = relay.drain();
      relay.nudge();
      release();
      await drained;

      expect(state.maxInFlight).toBe(1);
      expect(publisher.calls).toBe(2);
      expect(publisher.cursorsOf(userId)).toEqual(oneTo(10));
    });
  }

  if (kind === 'postgres') {
    it('lets a second instance drain other partitions while one is held, then the held one once free', async () => {
      const [first, second] = await usersInTwoPartitions();
      await commit(Array.from({ length: 3 }, () => readEvent(first)));
      await commit(Array.from({ length: 3 }, () => readEvent(second)));
      const { publisher: parked, firstCallStarted, release } = gatedPublisher();
      const other = new RecordingFanOut();
      const relays = [new OutboxRelay(db.prisma, parked), new OutboxRelay(db.prisma, other)];

      const parkedDrain = relays[0]!.drain();
      await firstCallStarted; // holds the oldest partition: the first user's
      const otherDrain = relays[1]!.drain();
      await other.waitFor(second, 3);
      expect(other.cursorsOf(first)).toEqual([]);
      release();
      await Promise.all([parkedDrain, otherDrain]);

      expect(parked.cursorsOf(first)).toEqual(oneTo(3));
      expect(await pendingOf(first, second)).toBe(0);
    });
  }

  it('publishes on its own once started', async () => {
    const userId = randomUUID();
    const publisher = new RecordingFanOut();
    // Sweeps take rows of any age here: these were committed without a fast path.
    const relay = new OutboxRelay(db.prisma, publisher, { pollIntervalMs: 10, sweepAfterMs: 0 });
    relay.start();
    try {
      await commit([readEvent(userId), readEvent(userId)]);

      await publisher.waitFor(userId, 2);

      expect(publisher.cursorsOf(userId)).toEqual([1, 2]);
    } finally {
      await relay.stop();
    }
  });

  it("keeps every user's order when two instances drain at the same time", async () => {
    const users = [randomUUID(), randomUUID(), randomUUID()];
    for (let round = 0; round < 10; round++) await commit(users.flatMap((u) => [readEvent(u), readEvent(u)]));
    // Both instances deliver into one broker; a random delivery delay lets an unordered design show.
    const broker: StreamEntry[] = [];
    const deliver = (): StreamFanOut => ({
      async fanOut(entries) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        broker.push(...entries);
      },
    });
    const relays = [0, 1].map(() => new OutboxRelay(db.prisma, deliver(), { batchSize: 4 }));

    await Promise.all(relays.map((r) => r.drain()));

    for (const userId of users) {
      expect(broker.filter((e) => e.userId === userId).map((e) => e.cursor)).toEqual(oneTo(20));
    }
  });

  describe('fast path (onCommitted)', () => {
    it('publishes what a unit of work just committed without a drain, and marks it published', async () => {
      const userId = randomUUID();
      const publisher = new RecordingFanOut();
      const relay = new OutboxRelay(db.prisma, publisher);
      const fastUnit = new PrismaUnitOfWork(db.prisma, relay);

      await fastUnit.run((scope) => scope.events.publish([readEvent(userId), readEvent(userId)]));
      await publisher.waitFor(userId, 2);
      await relay.stop(); // waits for the fast path's marking in flight

      expect(publisher.cursorsOf(userId)).toEqual([1, 2]);
      await expect(pendingOf(userId)).resolves.toBe(0);
      expect(publisher.calls).toBe(1);
    });

    it('drain waits for a fast-path publish in flight: afterwards nothing committed before it is unpublished', async () => {
      const userId = randomUUID();
      const gate = deferred();
      const publisher = new RecordingFanOut((call) => (call === 1 ? gate.promise : undefined));
      const relay = new OutboxRelay(db.prisma, publisher);
      const fastUnit = new PrismaUnitOfWork(db.prisma, relay);
      await fastUnit.run((scope) => scope.events.publish([readEvent(userId)]));

      let drained = false;
      const drain = relay.drain().then(() => (drained = true));
      // The batch finds the row (the flight has not marked it yet) or skips it; either way the drain
      // must not end before the fast path's marking.
      gate.resolve();
      await drain;

      expect(drained).toBe(true);
      await expect(pendingOf(userId)).resolves.toBe(0);
      expect(publisher.calls).toBe(1); // the drain found it marked: no second publish
      await relay.stop();
    });

    it('leaves entries the broker refused to the next drain: nothing lost', async () => {
      const userId = randomUUID();
      const errors: unknown[] = [];
      const publisher = new RecordingFanOut((call) => {
        if (call === 1) throw new Error('broker unreachable');
      });
      const relay = new OutboxRelay(db.prisma, publisher, {}, (error) => errors.push(error));
      const fastUnit = new PrismaUnitOfWork(db.prisma, relay);

      await fastUnit.run((scope) => scope.events.publish([readEvent(userId)]));
      // The failure nudges a drain; waiting for the entry proves the sweep published it.
      await publisher.waitFor(userId, 1);
      await relay.stop();

      expect(errors).toEqual([new Error('broker unreachable')]);
      expect(publisher.cursorsOf(userId)).toEqual([1]);
      await expect(pendingOf(userId)).resolves.toBe(0);
    });

    it('with the fast path off, a commit still reaches the broker, through a drain', async () => {
      const userId = randomUUID();
      const publisher = new RecordingFanOut();
      const relay = new OutboxRelay(db.prisma, publisher, { fastPath: false });
      const slowUnit = new PrismaUnitOfWork(db.prisma, relay);

      await slowUnit.run((scope) => scope.events.publish([readEvent(userId)]));
      await publisher.waitFor(userId, 1);
      await relay.stop();

      expect(publisher.cursorsOf(userId)).toEqual([1]);
      await expect(pendingOf(userId)).resolves.toBe(0);
    });

    it("leaves what another instance's fast path is publishing to it: a sweep takes no young row, so nothing goes out twice", async () => {
      const userId = randomUUID();
      const gate = deferred();
      const committing = new RecordingFanOut(() => gate.promise);
      const instanceA = new OutboxRelay(db.prisma, committing);
      const other = new RecordingFanOut();
      const instanceB = new OutboxRelay(db.prisma, other, { sweepAfterMs: 60_000 });
      await new PrismaUnitOfWork(db.prisma, instanceA).run((scope) => scope.events.publish([readEvent(userId), readEvent(userId)]));

      // A's publish is in flight (held by the gate); B's poll runs meanwhile.
      await instanceB.sweep();
      gate.resolve();
      await committing.waitFor(userId, 2);
      await instanceA.stop(); // waits for A's mark

      expect(other.of(userId)).toEqual([]);
      expect(committing.cursorsOf(userId)).toEqual([1, 2]);
      await expect(pendingOf(userId)).resolves.toBe(0);
      await instanceB.stop();
    });

    it('sweeps a row once it is older than sweepAfterMs: an instance that stopped before publishing loses nothing', async () => {
      const userId = randomUUID();
      const publisher = new RecordingFanOut();
      const relay = new OutboxRelay(db.prisma, publisher, { sweepAfterMs: 60_000 });
      await commit([readEvent(userId), readEvent(userId)]); // no relay told: as if its instance had died

      await relay.sweep();
      expect(publisher.of(userId)).toEqual([]);
      await db.prisma.$executeRaw`UPDATE stream_events SET created_at = created_at - interval '61 seconds' WHERE user_id = ${userId}`;
      await relay.sweep();

      expect(publisher.cursorsOf(userId)).toEqual([1, 2]);
      await expect(pendingOf(userId)).resolves.toBe(0);
      await relay.stop();
    });

    it("tells onDrained what its drains published, and nothing of the fast path's", async () => {
      const fast = randomUUID();
      const missed = randomUUID();
      const drained: number[] = [];
      const publisher = new RecordingFanOut();
      const relay = new OutboxRelay(db.prisma, publisher, { onDrained: (n) => drained.push(n) });
      await relay.drain(); // rows other tests left unpublished
      drained.length = 0;
      await new PrismaUnitOfWork(db.prisma, relay).run((scope) => scope.events.publish([readEvent(fast)]));
      await publisher.waitFor(fast, 1);
      await commit([readEvent(missed), readEvent(missed)]); // no relay told, as after a crash

      await relay.drain(); // first waits for the fast path's mark, so `fast` is not drained again

      expect(publisher.cursorsOf(missed)).toEqual([1, 2]);
      expect(publisher.cursorsOf(fast)).toEqual([1]);
      expect(drained.reduce((sum, n) => sum + n, 0)).toBe(2);
      await relay.stop();
    });

    it('is wired by PrismaOutbox itself: its unit of work hands each commit to its relay', async () => {
      const userId = randomUUID();
      const publisher = new RecordingFanOut();
      const outbox = new PrismaOutbox(db.prisma, publisher);

      // The relay was never started (no poll): only the hand-off can bring the entry to the broker.
      await outbox.unitOfWork.run((scope) => scope.events.publish([readEvent(userId)]));
      await publisher.waitFor(userId, 1);
      await outbox.relay.stop();

      expect(publisher.cursorsOf(userId)).toEqual([1]);
      await expect(pendingOf(userId)).resolves.toBe(0);
    });
  });
});
