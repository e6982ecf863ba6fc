import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { EventFactory, notificationRead, parseStreamPosition, type DomainEvent, type EventLog, type StreamEntry, type TenantEventLog } from '@pushline/domain';
import { FixedClock, InMemoryEventStore, InMemoryTenantStreams, RecordingDeviceSink, SequentialIdGenerator } from '@pushline/testing';
import type { DeviceIdentity } from './device-session.js';
import { EventTypeFilter } from './event-type-filter.js';
import { DEFAULT_STREAM_HUB_OPTIONS, StreamHub } from './stream-hub.js';

const MINUTE = 60_000;

/** The id the device was given for an entry: what it sends back as Last-Event-ID. */
const idOf = (entry: StreamEntry): string => entry.resumeId ?? String(entry.cursor);

describe('StreamHub with tenant broadcast lanes', () => {
  let clock: FixedClock;
  let store: InMemoryEventStore;
  let tenants: InMemoryTenantStreams;
  let broker: InMemoryStreamBroker;
  let events: EventFactory;
  let errors: unknown[];
  let hub: StreamHub;

  beforeEach(() => {
    clock = new FixedClock('2026-01-01T00:00:00.000Z');
    store = new InMemoryEventStore();
    tenants = new InMemoryTenantStreams();
    broker = new InMemoryStreamBroker();
    events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
    errors = [];
    hub = new StreamHub(broker, store, clock, { ...DEFAULT_STREAM_HUB_OPTIONS, maxDevicesPerUser: 5 }, (e) => errors.push(e), undefined, { tenantLog: tenants });
    hub.start();
  });

  afterEach(() => {
    hub.shutdown();
    expect(errors).toEqual([]);
  });

  function identity(userId: string, tenantId: string | undefined, deviceId = 'd'): DeviceIdentity {
    return { userId, sessionId: `${userId}-${deviceId}`, deviceId, expiresAt: new Date(clock.now().getTime() + 15 * MINUTE), ...(tenantId && { tenantId }) };
  }

  async function open(who: DeviceIdentity, lastEventId?: string): Promise<RecordingDeviceSink> {
    const sink = new RecordingDeviceSink();
    const position = parseStreamPosition(lastEventId, 'Last-Event-ID');
    await hub.open({ identity: who, resumeFrom: position?.personal ?? null, tenantResumeFrom: position?.tenant ?? null, filter: EventTypeFilter.all, excludeOwn: false }, sink);
    return sink;
  }

  async function personal(userId: string): Promise<StreamEntry> {
    const [entry] = store.append([events.create(notificationRead, `n-${userId}`, { notificationId: `n-${userId}`, userId, status: 'read', changedAt: clock.now().toISOString() })]);
    await broker.fanOut([entry!]);
    return entry!;
  }

  async function broadcast(tenantId: string): Promise<StreamEntry> {
    const event: DomainEvent = { ...events.stamp({ type: 'maintenance.scheduled', version: 1, subject: 'db', data: { at: 'tonight' } }), tenantid: tenantId };
    const [entry] = tenants.append(tenantId, [event]);
    await broker.fanOut([entry!]);
    return entry!;
  }

  it('reaches every device of every user of the tenant, once each, and no device of another tenant', async () => {
    const devices = [];
    for (const user of ['u1', 'u2', 'u3']) for (const device of ['phone', 'laptop']) devices.push(await open(identity(user, 'acme', device)));
    const outsider = await open(identity('o1', 'globex'));
    const withoutTenant = await open(identity('x1', undefined));

    const entry = await broadcast('acme');
    await Promise.all(devices.map((d) => d.waitForEntries(1)));

    for (const device of devices) expect(device.entries.map((e) => [e.event.id, idOf(e)])).toEqual([[entry.event.id, '0.1']]);
    expect(outsider.entries).toEqual([]);
    expect(withoutTenant.entries).toEqual([]);
  });

  it("opens a new member's device with one read of the tenant stream (its head); a broadcast during the open still arrives", async () => {
    const reads = { heads: 0, pages: 0, retention: 0 };
    const tenantLog: TenantEventLog = {
      headCursor: (t) => ((reads.heads += 1), tenants.headCursor(t)),
      readAfter: (t, after, limit) => ((reads.pages += 1), tenants.readAfter(t, after, limit)),
      oldestRetainedCursor: (t) => ((reads.retention += 1), tenants.oldestRetainedCursor(t)),
    };
    // A broadcast committed and published after the tenant head was read, while the device's own stream opens.
    let duringOwnOpen: (() => Promise<unknown>) | undefined;
    const ownLog: EventLog = {
      readAfter: (u, after, limit) => store.readAfter(u, after, limit),
      oldestRetainedCursor: (u) => store.oldestRetainedCursor(u),
      headCursor: async (u) => {
        const head = await store.headCursor(u);
        const race = duringOwnOpen;
        duringOwnOpen = undefined;
        await race?.();
        return head;
      },
    };
    hub.shutdown();
    hub = new StreamHub(broker, ownLog, clock, { ...DEFAULT_STREAM_HUB_OPTIONS, maxDevicesPerUser: 5 }, (e) => errors.push(e), undefined, { tenantLog });
    hub.start();
    await broadcast('acme');

    const quiet = await open(identity('u1', 'acme'));
    expect(reads).toEqual({ heads: 1, pages: 0, retention: 0 });

    duringOwnOpen = () => broadcast('acme');
    const raced = await open(identity('u2', 'acme'));
    await Promise.all([raced.waitForEntries(1), quiet.waitForEntries(1)]);
    expect(raced.entries.map(idOf)).toEqual(['0.2']);
    expect(quiet.entries.map(idOf)).toEqual(['0.2']);
  });

  it('tells a new device its start as one id of both streams, and a device resuming from an id of its own nothing', async () => {
    await personal('u1');
    await broadcast('acme');
    const fresh = await open(identity('u1', 'acme', 'phone'));
    expect(fresh.positions).toEqual(['1.1']);
    const plain = await open(identity('u2', 'acme', 'phone'));
    expect(plain.positions).toEqual(['0.1']);
    const resumed = await open(identity('u1', 'acme', 'laptop'), '1.1');
    expect(resumed.positions).toEqual([]);
    const outsider = await open(identity('o1', 'globex'));
    expect(outsider.positions).toEqual(['0']);
  });

  it('gives plain ids while the tenant never broadcast, and `<personal>.<tenant>` after', async () => {
    const sink = await open(identity('u1', 'acme'));
    await personal('u1');
    await broadcast('acme');
    await personal('u1');
    await sink.waitForEntries(3);
    expect(sink.entries.map(idOf)).toEqual(['1', '1.1', '2.1']);
  });

  it('resumes both streams from one id: what was missed of each, once, in cursor order, then live', async () => {
    const first = await open(identity('u1', 'acme'));
    await personal('u1');
    await broadcast('acme');
    await first.waitForEntries(2);
    const last = idOf(first.entries.at(-1)!);
    hub.closeSession('u1-d');

    // Offline: two personal entries and a broadcast.
    await personal('u1');
    await broadcast('acme');
    await personal('u1');

    const resumed = await open(identity('u1', 'acme'), last);
    await resumed.waitForEntries(3);
    expect(last).toBe('1.1');
    expect(resumed.entries.map((e) => [e.tenantStream ? 'tenant' : 'personal', e.cursor, idOf(e)])).toEqual([
      ['personal', 2, '2.1'],
      ['personal', 3, '3.1'],
      ['tenant', 2, '3.2'],
    ]);
    await broadcast('acme');
    await resumed.waitForEntries(4);
    expect(idOf(resumed.entries.at(-1)!)).toBe('3.3');
  });

  it('reads a plain cursor (a client of before broadcasts) as tenant position 0', async () => {
    await broadcast('acme');
    await personal('u1');
    const sink = await open(identity('u1', 'acme'), '0');
    await sink.waitForEntries(2);
    expect(sink.entries.map(idOf)).toEqual(['1', '1.1']);
  });

  it('says `stream.reset` for the tenant stream alone when retention cut it, and the own stream goes on', async () => {
    await broadcast('acme');
    await broadcast('acme');
    await broadcast('acme');
    tenants.trim('acme', 2);
    await personal('u1');
    await personal('u1');

    const sink = await open(identity('u1', 'acme'), '1.0');
    await sink.waitForEntries(1);
    expect(sink.controls).toEqual([{ type: 'stream.reset', data: { reason: 'cursor_expired', cursor: 3, stream: 'tenant' } }]);
    // The own replay comes first, still at tenant position 0: a drop here would reset the tenant side again.
    expect(sink.entries.map(idOf)).toEqual(['2']);
    await broadcast('acme');
    await sink.waitForEntries(2);
    expect(idOf(sink.entries.at(-1)!)).toBe('2.4');
  });

  it('refuses nothing and replays nothing for a tenant cursor ahead of the stream: reset to its head', async () => {
    await broadcast('acme');
    const sink = await open(identity('u1', 'acme'), '0.9');
    expect(sink.controls).toEqual([{ type: 'stream.reset', data: { reason: 'cursor_unknown', cursor: 1, stream: 'tenant' } }]);
    await personal('u1');
    await sink.waitForEntries(1);
    expect(idOf(sink.entries[0]!)).toBe('1.1');
  });

  it('drops the lane with its device: a logged-out device gets no later broadcast', async () => {
    const kept = await open(identity('u1', 'acme', 'kept'));
    const gone = await open(identity('u2', 'acme', 'gone'));
    expect(hub.closeSession('u2-gone')).toBe(1);
    await broadcast('acme');
    await kept.waitForEntries(1);
    expect(gone.entries).toEqual([]);
    gone.assertClosedWith('session_revoked');
  });

  it('closes the device when its tenant lane finds it too slow', async () => {
    const sink = await open(identity('u1', 'acme'));
    sink.bufferedBytes = DEFAULT_STREAM_HUB_OPTIONS.maxBufferedBytes + 1;
    await broadcast('acme');
    sink.assertClosedWith('slow_consumer');
    await broadcast('acme');
    expect(sink.entries).toHaveLength(1);
  });

  it('never loses or repeats an entry of either stream, whenever the device drops and resumes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('personal', 'tenant', 'drop'), { minLength: 1, maxLength: 40 }), async (steps) => {
        const user = `p-${Math.random().toString(36).slice(2)}`;
        const tenant = `t-${user}`;
        const received: StreamEntry[] = [];
        let sink = await open(identity(user, tenant));
        const collect = () => received.push(...sink.entries.filter((e) => !received.includes(e)));
        let personalCount = 0;
        let tenantCount = 0;
        for (const step of steps) {
          if (step === 'personal') (await personal(user), (personalCount += 1));
          else if (step === 'tenant') (await broadcast(tenant), (tenantCount += 1));
          else {
            collect();
            hub.closeSession(`${user}-d`);
            const last = received.at(-1);
            sink = await open(identity(user, tenant), last ? idOf(last) : undefined);
          }
        }
        const before = received.length;
        collect();
        // Whatever the final connection still owes arrives through it.
        const owed = personalCount + tenantCount - received.length;
        await sink.waitForEntries(sink.entries.length + Math.max(0, owed));
        collect();
        hub.closeSession(`${user}-d`);
        expect(before).toBeLessThanOrEqual(received.length);
        expect(received.filter((e) => !e.tenantStream).map((e) => e.cursor)).toEqual(Array.from({ length: personalCount }, (_, i) => i + 1));
        expect(received.filter((e) => e.tenantStream).map((e) => e.cursor)).toEqual(Array.from({ length: tenantCount }, (_, i) => i + 1));
      }),
      { seed: 10_010, numRuns: 60 },
    );
  });
});
