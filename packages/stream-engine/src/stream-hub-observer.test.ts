import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { EventMother, FixedClock, InMemoryEventStore, RecordingDeviceSink, RecordingStreamObserver } from '@pushline/testing';
import { EventTypeFilter } from './event-type-filter.js';
import { ObservedStreamFanOut } from './observed-stream-fan-out.js';
import { DEFAULT_STREAM_HUB_OPTIONS, StreamHub } from './stream-hub.js';

describe('StreamHub reporting to a StreamObserver', () => {
  let store: InMemoryEventStore;
  let broker: InMemoryStreamBroker;
  let observer: RecordingStreamObserver;
  let hub: StreamHub;
  const clock = new FixedClock('2026-01-01T00:00:00.000Z');

  beforeEach(() => {
    store = new InMemoryEventStore();
    broker = new InMemoryStreamBroker();
    observer = new RecordingStreamObserver();
    hub = new StreamHub(broker, store, clock, { ...DEFAULT_STREAM_HUB_OPTIONS, maxBufferedBytes: 100 }, () => {}, observer);
    hub.start();
  });

  afterEach(() => hub.shutdown());

  function open(deviceId: string, resumeFrom: number | null = null, sink = new RecordingDeviceSink()) {
    return hub
      .open(
        {
          identity: { userId: 'alice', sessionId: 's', deviceId, expiresAt: new Date('2026-01-02T00:00:00Z') },
          resumeFrom,
          filter: EventTypeFilter.all,
          excludeOwn: false,
        },
        sink,
      )
      .then((session) => ({ session, sink }));
  }

  it('reports opens and closes with their reason, each open matched by one close', async () => {
    const phone = await open('phone');
    const laptop = await open('laptop');
    observer.assertOpenStreams(2);
    expect(observer.opens[0]).toEqual({ userId: 'alice', deviceId: 'phone', transport: 'unknown' });

    phone.session.close();
    phone.session.close();
    observer.assertLastClosedWith('client_closed');
    hub.closeSession('s');
    observer.assertLastClosedWith('session_revoked');
    expect(laptop.sink.closedWith).toBe('session_revoked');
    observer.assertOpenStreams(0);
  });

  it('counts replayed and live deliveries apart, and what the relay published', async () => {
    const publisher = new ObservedStreamFanOut(broker, observer);
    await publisher.fanOut(store.append([EventMother.created('alice'), EventMother.created('alice')]));

    await open('phone', 0);
    await publisher.fanOut(store.append([EventMother.read('alice')]));

    observer.assertDelivered({ live: [3], replayed: [1, 2] });
    expect(observer.publishedEntries.map((e) => e.cursor)).toEqual([1, 2, 3]);
  });

  it('reports a slow consumer as closed with slow_consumer', async () => {
    const sink = new RecordingDeviceSink();
    await open('phone', null, sink);
    sink.bufferedBytes = 1_000;
    await broker.fanOut(store.append([EventMother.created('alice')]));
    observer.assertLastClosedWith('slow_consumer');
    observer.assertOpenStreams(0);
  });
});
