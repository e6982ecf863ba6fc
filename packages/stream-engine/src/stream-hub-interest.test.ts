import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { EventMother, FixedClock, InMemoryEventStore, ManualStreamInterest, RecordingDeviceSink } from '@pushline/testing';
import { EventTypeFilter } from './event-type-filter.js';
import { DEFAULT_STREAM_HUB_OPTIONS, StreamHub } from './stream-hub.js';

describe('StreamHub telling a sharded broker which users it holds', () => {
  let store: InMemoryEventStore;
  let broker: InMemoryStreamBroker;
  let interest: ManualStreamInterest;
  let hub: StreamHub;
  const clock = new FixedClock('2026-01-01T00:00:00.000Z');

  beforeEach(() => {
    store = new InMemoryEventStore();
    broker = new InMemoryStreamBroker();
    interest = new ManualStreamInterest();
    hub = new StreamHub(broker, store, clock, DEFAULT_STREAM_HUB_OPTIONS, () => {}, undefined, { interest });
    hub.start();
  });

  afterEach(() => hub.shutdown());

  function open(userId: string, deviceId: string, resumeFrom: number | null = null, sink = new RecordingDeviceSink()) {
    const identity = { userId, sessionId: `s-${userId}`, deviceId, expiresAt: new Date('2026-01-02T00:00:00Z') };
    return hub.open({ identity, resumeFrom, filter: EventTypeFilter.all, excludeOwn: false }, sink).then((session) => ({ session, sink }));
  }

  it('watches a user with its first device and releases it after its last', async () => {
    interest.acknowledge();
    const phone = open('alice', 'phone');
    interest.acknowledge();
    const laptop = open('alice', 'laptop');
    const bob = open('bob', 'phone');
    interest.acknowledge();
    const [p, l, b] = await Promise.all([phone, laptop, bob]);

    expect(interest.watched).toEqual(['alice', 'bob']);
    expect(interest.watching).toEqual(['alice', 'bob']);
    p.session.close();
    expect(interest.watching).toEqual(['alice', 'bob']);
    l.session.close();
    expect(interest.watching).toEqual(['bob']);
    hub.closeUser('bob');
    expect(interest.watching).toEqual([]);
  });

  it('reads the log only once the subscription took effect, so an entry fanned out before it is not lost', async () => {
    const opening = open('alice', 'phone', 0);
    // Committed and fanned out while the SUBSCRIBE is on its way: this instance never hears it live.
    store.append([EventMother.created('alice')]);
    interest.acknowledge();
    const { sink } = await opening;

    expect(sink.cursors()).toEqual([1]);
    await broker.fanOut(store.append([EventMother.read('alice')]));
    expect(sink.cursors()).toEqual([1, 2]);
  });

  it('releases the watch of a device that failed to start', async () => {
    const failing = new InMemoryEventStore();
    failing.headCursor = () => Promise.reject(new Error('database down'));
    const broken = new StreamHub(broker, failing, clock, DEFAULT_STREAM_HUB_OPTIONS, () => {}, undefined, { interest });
    const identity = { userId: 'carol', sessionId: 's', deviceId: 'd', expiresAt: new Date('2026-01-02T00:00:00Z') };
    const opening = broken.open({ identity, resumeFrom: null, filter: EventTypeFilter.all, excludeOwn: false }, new RecordingDeviceSink());
    interest.acknowledge();
    await expect(opening).rejects.toThrow('database down');
    expect(interest.watching).toEqual([]);
  });
});
