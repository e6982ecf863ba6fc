import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { EventFactory, notificationRead, type DomainEvent, type EventLog, type StreamEntry, type TenantEventLog } from '@pushline/domain';
import { FixedClock, InMemoryEventStore, InMemoryTenantStreams, RecordingDeviceSink, SequentialIdGenerator } from '@pushline/testing';
import { EventTypeFilter } from './event-type-filter.js';
import { DEFAULT_STREAM_HUB_OPTIONS, StreamHub } from './stream-hub.js';

/** Decision 56: a head this instance vouches for is not read again, and no device misses or repeats an entry for it. */
describe('StreamHub starting devices at the heads it vouches for', () => {
  const clock = new FixedClock('2026-01-01T00:00:00.000Z');
  let store: InMemoryEventStore;
  let tenants: InMemoryTenantStreams;
  let broker: InMemoryStreamBroker;
  let events: EventFactory;
  let errors: unknown[];
  let hub: StreamHub;
  let reads: { own: number; tenant: number };

  beforeEach(() => {
    store = new InMemoryEventStore();
    tenants = new InMemoryTenantStreams();
    broker = new InMemoryStreamBroker();
    events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
    errors = [];
    reads = { own: 0, tenant: 0 };
    const ownLog: EventLog = {
      headCursor: (u) => ((reads.own += 1), store.headCursor(u)),
      readAfter: (u, after, limit) => store.readAfter(u, after, limit),
      oldestRetainedCursor: (u) => store.oldestRetainedCursor(u),
    };
    const tenantLog: TenantEventLog = {
      headCursor: (t) => ((reads.tenant += 1), tenants.headCursor(t)),
      readAfter: (t, after, limit) => tenants.readAfter(t, after, limit),
      oldestRetainedCursor: (t) => tenants.oldestRetainedCursor(t),
    };
    hub = new StreamHub(broker, ownLog, clock, { ...DEFAULT_STREAM_HUB_OPTIONS, maxDevicesPerUser: 5 }, (e) => errors.push(e), undefined, { tenantLog });
    hub.start();
  });

  afterEach(() => {
    hub.shutdown();
    expect(errors).toEqual([]);
  });

  async function open(userId: string, deviceId: string, resumeFrom: number | null = null, tenantId?: string): Promise<RecordingDeviceSink> {
    const sink = new RecordingDeviceSink();
    const identity = { userId, sessionId: `${userId}-${deviceId}`, deviceId, expiresAt: new Date('2026-01-02T00:00:00Z'), ...(tenantId && { tenantId }) };
    await hub.open({ identity, resumeFrom, filter: EventTypeFilter.all, excludeOwn: false }, sink);
    return sink;
  }

  /** Commits an entry of the user's stream; the relay has not published it yet. */
  function commit(userId: string): StreamEntry {
    const id = `n-${store.entriesOf(userId).length + 1}`;
    return store.append([events.create(notificationRead, id, { notificationId: id, userId, status: 'read', changedAt: clock.now().toISOString() })])[0]!;
  }

  async function commitAndPublish(userId: string): Promise<void> {
    await broker.fanOut([commit(userId)]);
  }

  it("starts a user's second device at the head the first one's open read and live entries raised, without reading it", async () => {
    const phone = await open('alice', 'phone');
    await commitAndPublish('alice');
    await commitAndPublish('alice');

    const laptop = await open('alice', 'laptop');
    expect(reads.own).toBe(1);
    expect(laptop.positions).toEqual(['2']);

    await commitAndPublish('alice');
    expect(laptop.cursors()).toEqual([3]);
    expect(phone.cursors()).toEqual([1, 2, 3]);
  });

  it('starts below an entry committed but not yet published, and delivers it when it is', async () => {
    await open('alice', 'phone');
    const late = commit('alice'); // in the log (head 1), not yet dispatched here

    const laptop = await open('alice', 'laptop');
    expect(laptop.positions).toEqual(['0']);
    await broker.fanOut([late]);
    await commitAndPublish('alice');
    expect(laptop.cursors()).toEqual([1, 2]);
  });

  it('reads the log for a cursor past the vouched head (another instance delivered it first): no reset, no repeat', async () => {
    await open('alice', 'phone');
    const late = [commit('alice'), commit('alice')];

    const laptop = await open('alice', 'laptop', 2);
    expect(reads.own).toBe(2);
    expect(laptop.controls).toEqual([]);
    await broker.fanOut(late);
    await commitAndPublish('alice');
    expect(laptop.cursors()).toEqual([3]);
  });

  it('replays a cursor behind the vouched head from the log', async () => {
    await open('alice', 'phone');
    for (let i = 0; i < 3; i++) await commitAndPublish('alice');

    const laptop = await open('alice', 'laptop', 1);
    await laptop.waitForEntries(2);
    expect(laptop.cursors()).toEqual([2, 3]);
    expect(reads.own).toBe(1);
  });

  it('reads the head again after the broker resubscribed, and once the user had no device left here', async () => {
    await open('alice', 'phone');
    hub.resyncAll();
    await open('alice', 'laptop');
    expect(reads.own).toBe(2);

    hub.closeUser('alice');
    await open('alice', 'tablet');
    expect(reads.own).toBe(3);
  });

  it("starts a tenant member's device at the tenant head another member's open read, and broadcasts since arrive once", async () => {
    const broadcast = async (): Promise<void> => {
      const event: DomainEvent = { ...events.stamp({ type: 'maintenance.scheduled', version: 1, subject: 'db', data: { at: 'tonight' } }), tenantid: 'acme' };
      await broker.fanOut(tenants.append('acme', [event]));
    };
    await broadcast();
    const first = await open('u1', 'phone', null, 'acme');
    await broadcast();

    const second = await open('u2', 'phone', null, 'acme');
    expect(reads.tenant).toBe(1);
    expect(second.positions).toEqual(['0.2']);

    await broadcast();
    expect(second.entries.map((e) => e.resumeId)).toEqual(['0.3']);
    expect(first.entries.map((e) => e.resumeId)).toEqual(['0.2', '0.3']);
  });
});
