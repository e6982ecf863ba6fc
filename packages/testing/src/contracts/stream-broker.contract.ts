import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StreamEntry, StreamFanOut, StreamInterest, StreamInterestLease, StreamSubscriber } from '@pushline/domain';
import { Collector, entry } from './stream-broker.support.js';

export interface StreamBrokerUnderTest {
  readonly publisher: StreamFanOut;
  readonly subscriber: StreamSubscriber;
  /** The subscriber's interest: the suite watches every user it publishes for, as the hub would. */
  readonly interest: StreamInterest;
  /**
   * Resolves once every listener subscribed so far receives what is published next (e.g. a Redis
   * SUBSCRIBE was acknowledged). Omit when `subscribe` takes effect at once.
   */
  settle?(): Promise<void>;
  teardown?(): Promise<void>;
}

export interface StreamBrokerContractContext {
  /** Wire this into the adapter as its listener-error reporter; the suite checks that errors reach it. */
  readonly onListenerError: (error: unknown) => void;
}

/**
 * The behaviour every StreamFanOut + StreamSubscriber adapter must show. Arrival is awaited through
 * promises resolved by the listeners, never by sleeping, so asynchronous transports run it unchanged.
 * "Nothing arrived" is proven with a sentinel: a later entry reaching another listener of the same
 * subscriber.
 */
export function describeStreamBrokerContract(
  name: string,
  setup: (context: StreamBrokerContractContext) => StreamBrokerUnderTest | Promise<StreamBrokerUnderTest>,
): void {
  describe(`${name} (StreamBroker contract)`, () => {
    let broker: StreamBrokerUnderTest;
    let listenerErrors: Collector<unknown>;
    const unsubscribes: (() => void)[] = [];
    let leases: StreamInterestLease[] = [];
    /** The users this suite publishes for. */
    const CONTRACT_USERS = ['alice', 'bob'];

    beforeEach(async () => {
      const errors = new Collector<unknown>();
      listenerErrors = errors;
      broker = await setup({ onListenerError: (error) => errors.listener(error) });
      leases = CONTRACT_USERS.map((userId) => broker.interest.watch(userId));
    });

    afterEach(async () => {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      for (const lease of leases) lease.release();
      await broker.teardown?.();
    });

    function collect(): Collector<StreamEntry> {
      const collector = new Collector<StreamEntry>();
      unsubscribes.push(broker.subscriber.subscribe(collector.listener));
      return collector;
    }

    async function settle(): Promise<void> {
      await broker.settle?.();
      await Promise.all(leases.map((lease) => lease.ready));
    }

    it('delivers every entry to every subscriber, in publish order per user', async () => {
      const first = collect();
      const second = collect();
      await settle();
      const alice = [entry('alice', 1), entry('alice', 2), entry('alice', 3)];
      const bob = [entry('bob', 1), entry('bob', 2)];

      await broker.publisher.fanOut([alice[0]!, bob[0]!, alice[1]!]);
      await broker.publisher.fanOut([bob[1]!]);
      await broker.publisher.fanOut([alice[2]!]);
      await Promise.all([first.waitFor(5), second.waitFor(5)]);

      for (const collector of [first, second]) {
        expect(collector.cursorsOf('alice')).toEqual([1, 2, 3]);
        expect(collector.cursorsOf('bob')).toEqual([1, 2]);
      }
    });

    it('delivers the very same fields that were published', async () => {
      const collector = collect();
      await settle();
      const full = entry('alice', 7, {
        correlationid: 'req-1',
        causationid: 'req-0',
        deviceid: 'phone',
        data: { title: 'Grüße 👋', nested: { list: [1, 'two', null], flag: false }, empty: '' },
      });
      const minimal = entry('alice', 8);

      await broker.publisher.fanOut([full, minimal]);
      await collector.waitFor(2);

      expect(collector.entries).toEqual([full, minimal]);
      expect(Object.keys(collector.entries[1]!.event).sort()).toEqual(Object.keys(minimal.event).sort());
    });

    it('keeps an ephemeral entry ephemeral (no cursor), in order with stored ones', async () => {
      const collector = collect();
      await settle();
      const live: StreamEntry = { ...entry('alice', 0, { type: 'presence.typing' }), ephemeral: true };

      await broker.publisher.fanOut([entry('alice', 1), live, entry('alice', 2)]);
      await collector.waitFor(3);

      expect(collector.entries).toEqual([entry('alice', 1), live, entry('alice', 2)]);
      expect(collector.entries[1]!.ephemeral).toBe(true);
    });

    it('stops delivering to a listener once it unsubscribed', async () => {
      const leaving = new Collector<StreamEntry>();
      const unsubscribe = broker.subscriber.subscribe(leaving.listener);
      const staying = collect();
      await settle();
      await broker.publisher.fanOut([entry('alice', 1)]);
      await Promise.all([leaving.waitFor(1), staying.waitFor(1)]);

      unsubscribe();
      await broker.publisher.fanOut([entry('alice', 2), entry('alice', 3)]);
      await staying.waitFor(3);

      expect(leaving.cursorsOf('alice')).toEqual([1]);
      expect(staying.cursorsOf('alice')).toEqual([1, 2, 3]);
    });

    it('keeps subscriptions of the same function independent', async () => {
      const collector = new Collector<StreamEntry>();
      const unsubscribeOne = broker.subscriber.subscribe(collector.listener);
      unsubscribes.push(broker.subscriber.subscribe(collector.listener));
      const sentinel = collect();
      await settle();

      await broker.publisher.fanOut([entry('alice', 1)]);
      await Promise.all([collector.waitFor(2), sentinel.waitFor(1)]);
      unsubscribeOne();
      unsubscribeOne();
      await broker.publisher.fanOut([entry('alice', 2)]);
      await sentinel.waitFor(2);

      expect(collector.cursorsOf('alice')).toEqual([1, 1, 2]);
    });

    it('isolates and reports a throwing listener; the others still get everything', async () => {
      const failure = new Error('listener broke');
      unsubscribes.push(
        broker.subscriber.subscribe(() => {
          throw failure;
        }),
      );
      const healthy = collect();
      unsubscribes.push(
        broker.subscriber.subscribe(() => {
          throw failure;
        }),
      );
      await settle();

      await expect(broker.publisher.fanOut([entry('alice', 1), entry('alice', 2)])).resolves.toBeUndefined();
      await broker.publisher.fanOut([entry('alice', 3)]);
      await healthy.waitFor(3);

      expect(healthy.cursorsOf('alice')).toEqual([1, 2, 3]);
      // Reports may trail the healthy listener on an asynchronous transport; all six must come.
      await listenerErrors.waitFor(6);
      expect(listenerErrors.received).toEqual(Array.from({ length: 6 }, () => failure));
    });

    it('delivers many entries completely and in order', async () => {
      const first = collect();
      const second = collect();
      await settle();
      const total = 1_000;
      const all = Array.from({ length: total }, (_, i) => entry(i % 2 === 0 ? 'alice' : 'bob', Math.floor(i / 2) + 1));

      for (let i = 0; i < total; i += 100) await broker.publisher.fanOut(all.slice(i, i + 100));
      await Promise.all([first.waitFor(total), second.waitFor(total)]);

      const expected = Array.from({ length: total / 2 }, (_, i) => i + 1);
      for (const collector of [first, second]) {
        expect(collector.entries).toHaveLength(total);
        expect(collector.cursorsOf('alice')).toEqual(expected);
        expect(collector.cursorsOf('bob')).toEqual(expected);
      }
    });
  });
}

/** The users this suite publishes for. */
const CONTRACT_USERS = ['alice', 'bob'];
