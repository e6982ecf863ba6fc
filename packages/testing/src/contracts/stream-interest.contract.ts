import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StreamEntry, StreamInterestLease } from '@pushline/domain';
import type { StreamBrokerUnderTest } from './stream-broker.contract.js';
import { Collector, entry } from './stream-broker.support.js';

export interface StreamInterestContractOptions {
  /**
   * Two users whose entries travel apart (different shards), when the adapter receives only what it
   * watches; omit for an adapter that receives every user's entries anyway.
   */
  readonly apart?: readonly [string, string];
}

/**
 * What the hub relies on when it tells the broker which users it holds (`StreamInterest.watch`):
 * once `ready` resolves, that user's entries arrive; a watch stays in force while any lease of its
 * user (or its shard) is held, whatever order releases and new watches come in. An adapter that
 * filters (`apart`) also must stop receiving a user once nothing watches it.
 */
export function describeStreamInterestContract(
  name: string,
  setup: () => StreamBrokerUnderTest | Promise<StreamBrokerUnderTest>,
  options: StreamInterestContractOptions = {},
): void {
  describe(`${name} (StreamInterest contract)`, () => {
    let broker: StreamBrokerUnderTest;
    const cleanups: (() => void)[] = [];

    beforeEach(async () => {
      broker = await setup();
      await broker.settle?.();
    });

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      await broker.teardown?.();
    });

    function collect(): Collector<StreamEntry> {
      const collector = new Collector<StreamEntry>();
      cleanups.push(broker.subscriber.subscribe(collector.listener));
      return collector;
    }

    function watch(userId: string): StreamInterestLease {
      const lease = broker.interest.watch(userId);
      cleanups.push(lease.release);
      return lease;
    }

    it('delivers a watched user once ready resolved', async () => {
      const collector = collect();
      await watch('carol').ready;
      await broker.publisher.fanOut([entry('carol', 1), entry('carol', 2)]);
      await collector.waitFor(2);
      expect(collector.cursorsOf('carol')).toEqual([1, 2]);
    });

    it('keeps delivering while another lease of the user is held; a second release of one lease changes nothing', async () => {
      const collector = collect();
      const first = watch('carol');
      const second = watch('carol');
      await Promise.all([first.ready, second.ready]);
      first.release();
      first.release();
      await broker.publisher.fanOut([entry('carol', 1)]);
      await collector.waitFor(1);
      expect(collector.cursorsOf('carol')).toEqual([1]);
    });

    it('ends subscribed when the last lease is released and a new watch follows at once', async () => {
      const collector = collect();
      const leaving = watch('carol');
      await leaving.ready;
      leaving.release();
      await watch('carol').ready;
      await broker.publisher.fanOut([entry('carol', 1)]);
      await collector.waitFor(1);
      expect(collector.cursorsOf('carol')).toEqual([1]);
    });

    const apart = options.apart;
    if (!apart) return;
    it('receives only watched users, and a user no longer once its last lease is released', async () => {
      const [watched, other] = apart;
      const collector = collect();
      const otherLease = watch(other);
      await Promise.all([watch(watched).ready, otherLease.ready]);
      otherLease.release();
      // The sentinel, published after, proves the other user's entry is not merely late.
      await broker.publisher.fanOut([entry(other, 1)]);
      await broker.publisher.fanOut([entry(watched, 1)]);
      await collector.waitFor(1);
      await broker.publisher.fanOut([entry(watched, 2)]);
      await collector.waitFor(2);
      expect(collector.entries.map((e) => e.userId)).toEqual([watched, watched]);
    });
  });
}
