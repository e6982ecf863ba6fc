import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import {
  EventFactory,
  notificationCreated,
  notificationRead,
  type EventLog,
  type StreamEntry,
} from '@pushline/domain';
import { FixedClock, InMemoryEventStore, RecordingDeviceSink, SequentialIdGenerator } from '@pushline/testing';
import { DeviceSession, type DeviceSessionOptions } from './device-session.js';
import { EventTypeFilter } from './event-type-filter.js';

const USER = 'u1';

/**
 * Wraps the store and lets a test hold calls in flight. Each call takes its answer when it starts
 * (as a database snapshot would) and returns it only once released, so entries committed meanwhile
 * are missing from it.
 */
type GatedCall = 'readAfter' | 'headCursor';

class GatedEventLog implements EventLog {
  /** `after` of every readAfter, in call order. */
  readonly reads: number[] = [];
  private readonly gates = new Map<GatedCall, { promise: Promise<void>; open: () => void }>();
  private started: { count: number; resolve: () => void }[] = [];
  private failure: Error | undefined;

  constructor(private readonly inner: EventLog) {}

  hold(call: GatedCall): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gates.set(call, { promise, open });
  }

  release(call: GatedCall): void {
    this.gates.get(call)?.open();
    this.gates.delete(call);
  }

  failNextRead(error: Error): void {
    this.failure = error;
  }

  /** Resolves once `count` readAfter calls have started. */
  whenReadsStarted(count: number): Promise<void> {
    if (this.reads.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.started.push({ count, resolve }));
  }

  async readAfter(userId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    this.reads.push(after);
    this.started = this.started.filter((s) => (this.reads.length >= s.count ? (s.resolve(), false) : true));
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    const answer = await this.inner.readAfter(userId, after, limit);
    await this.gates.get('readAfter')?.promise;
    return answer;
  }

  async headCursor(userId: string): Promise<number> {
    const answer = await this.inner.headCursor(userId);
    await this.gates.get('headCursor')?.promise;
    return answer;
  }

  /** How many times the retention bound was asked for. */
  retentionChecks = 0;

  oldestRetainedCursor(userId: string): Promise<number | null> {
    this.retentionChecks += 1;
    return this.inner.oldestRetainedCursor(userId);
  }
}

describe('DeviceSession', () => {
  let clock: FixedClock;
  let store: InMemoryEventStore;
  let log: GatedEventLog;
  let broker: InMemoryStreamBroker;
  let events: EventFactory;
  let sink: RecordingDeviceSink;
  let closed: DeviceSession[];
  let errors: unknown[];
  let unsubscribe: (() => void) | undefined;
  let notificationNo: number;

  beforeEach(() => {
    clock = new FixedClock();
    store = new InMemoryEventStore();
    log = new GatedEventLog(store);
    broker = new InMemoryStreamBroker();
    events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
    sink = new RecordingDeviceSink();
    closed = [];
    errors = [];
    notificationNo = 0;
  });

  afterEach(() => unsubscribe?.());

  interface SessionSetup extends Partial<DeviceSessionOptions> {
    readonly filter?: EventTypeFilter;
    readonly excludeOwn?: boolean;
    readonly deviceId?: string;
  }

  /** A session fed live by the broker, as the hub would feed it. */
  function openSession(setup: SessionSetup = {}): DeviceSession {
    const session = new DeviceSession(
      {
        userId: USER,
        sessionId: 's1',
        ...(setup.deviceId && { deviceId: setup.deviceId }),
        expiresAt: new Date('2026-01-01T01:00:00Z'),
      },
      setup.filter ?? EventTypeFilter.all,
      setup.excludeOwn ?? false,
      sink,
      log,
      { replayPageSize: setup.replayPageSize ?? 50, maxBufferedBytes: setup.maxBufferedBytes ?? 1_000 },
      (s) => closed.push(s),
      (e) => errors.push(e),
    );
    unsubscribe = broker.subscribe((entry) => {
      if (entry.userId === USER) session.offer(entry);
    });
    return session;
  }

  /** Commits `count` events to the log (not yet published). */
  function commit(
    count: number,
    options: { userId?: string; type?: 'created' | 'read'; deviceId?: string } = {},
  ): StreamEntry[] {
    const userId = options.userId ?? USER;
    const batch = Array.from({ length: count }, () => {
      notificationNo += 1;
      const id = `n-${notificationNo}`;
      const context = options.deviceId ? { deviceId: options.deviceId } : {};
      return options.type === 'read'
        ? events.create(notificationRead, id, { notificationId: id, userId, status: 'read', changedAt: clock.now().toISOString() }, context)
        : events.create(
            notificationCreated,
            id,
            { notificationId: id, userId, title: id, body: '', priority: 'normal', data: null, createdAt: clock.now().toISOString() },
            context,
          );
    });
    return store.append(batch);
  }

  /** Commits, then publishes, as the outbox relay does. */
  async function commitAndPublish(count: number, options: Parameters<typeof commit>[1] = {}): Promise<StreamEntry[]> {
    const entries = commit(count, options);
    await broker.fanOut(entries);
    return entries;
  }

  function range(from: number, to: number): number[] {
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }

  describe('starting', () => {
    it('without a cursor starts at the head and sends only what comes next', async () => {
      commit(3);
      const session = openSession();

      await session.start(null);
      expect(sink.entries).toEqual([]);
      expect(session.cursor).toBe(3);

      await commitAndPublish(2);
      expect(sink.cursors()).toEqual([4, 5]);
      expect(sink.controls).toEqual([]);
    });

    it('on an empty stream starts at 0 and delivers the first entry live', async () => {
      const session = openSession();
      await session.start(null);
      await commitAndPublish(1);
      expect(sink.cursors()).toEqual([1]);
      expect(session.cursor).toBe(1);
    });

    it('resumes from a cursor: replays the rest in order, then continues live with no gap or repeat', async () => {
      const committed = commit(5);
      const session = openSession();

      await session.start(2);
      expect(sink.cursors()).toEqual([3, 4, 5]);
      expect(sink.entries).toEqual(committed.slice(2));

      await commitAndPublish(2);
      expect(sink.cursors()).toEqual([3, 4, 5, 6, 7]);
      expect(sink.controls).toEqual([]);
    });

    it('replays entries published while the replay read was in flight, exactly once', async () => {
      commit(5);
      const session = openSession();
      log.hold('readAfter');
      const starting = session.start(2);
      await log.whenReadsStarted(1);

      // The read in flight saw 3..5 only; 6 and 7 are committed and published now.
      await commitAndPublish(2);
      expect(sink.entries).toEqual([]);
      log.release('readAfter');
      await starting;

      expect(sink.cursors()).toEqual([3, 4, 5, 6, 7]);
      expect(log.reads).toEqual([2, 5]);

      await commitAndPublish(1);
      expect(sink.cursors()).toEqual([3, 4, 5, 6, 7, 8]);
      expect(new Set(sink.eventIds()).size).toBe(6);
    });

    it('at the head (a new device, or a resume at the head) reads only the head: no replay read, no retention check', async () => {
      commit(3);
      const fresh = openSession();
      await fresh.start(null);
      expect(log.reads).toEqual([]);
      expect(log.retentionChecks).toBe(0);
      unsubscribe?.();

      const resumed = openSession();
      await resumed.start(3);
      expect(log.reads).toEqual([]);
      expect(log.retentionChecks).toBe(0);
      await commitAndPublish(1);
      expect(sink.cursors()).toEqual([4]);
      expect(resumed.cursor).toBe(4);
      // One behind the head is checked and replayed as before.
      const behind = openSession();
      await behind.start(2);
      expect(log.retentionChecks).toBe(1);
      expect(log.reads[0]).toBe(2);
      expect(behind.cursor).toBe(4);
    });

    it('tells a device where it starts when it came without that id, before anything else; not when it resumes from its own', async () => {
      commit(3);
      const fresh = openSession();
      await fresh.start(null);
      await commitAndPublish(1);
      expect(sink.calls.map((c) => c.kind)).toEqual(['position', 'entry']);
      expect(sink.positions).toEqual(['3']);
      unsubscribe?.();

      const resumed = openSession();
      await resumed.start(2);
      expect(sink.positions).toEqual(['3']);

      // A reset moves it to the head: that id, so a drop now does not send the unknown cursor again.
      const reset = openSession();
      await reset.start(99);
      expect(sink.controls.at(-1)).toMatchObject({ type: 'stream.reset', data: { reason: 'cursor_unknown' } });
      expect(sink.positions).toEqual(['3', '4']);
    });

    it('replays entries published while the head was being read', async () => {
      commit(2);
      const session = openSession();
      log.hold('headCursor');
      const starting = session.start(null);
      await commitAndPublish(2);
      log.release('headCursor');
      await starting;

      // The head it saw was 2: what was committed after it reaches the device.
      expect(sink.cursors()).toEqual([3, 4]);
      await commitAndPublish(1);
      expect(sink.cursors()).toEqual([3, 4, 5]);
    });

    it('pages through a long replay, waiting for the sink to drain between pages', async () => {
      commit(5);
      const session = openSession({ replayPageSize: 2 });
      sink.holdWrites();

      const starting = session.start(0);
      await sink.waitForEntries(2);
      expect(sink.cursors()).toEqual([1, 2]);
      expect(sink.whenWritableCalls).toBe(1);

      sink.releaseWrites();
      await starting;
      expect(sink.cursors()).toEqual([1, 2, 3, 4, 5]);
      expect(log.reads).toEqual([0, 2, 4]);
    });

    it.each([0, 3, 4])('sends stream.reset when resuming from %p behind the retained range', async (resumeFrom) => {
      commit(10);
      store.trim(USER, 5);
      const session = openSession();

      await session.start(resumeFrom);

      sink.assertResetWith('cursor_expired', 10);
      expect(sink.entries).toEqual([]);
      expect(session.cursor).toBe(10);
      await commitAndPublish(1);
      expect(sink.cursors()).toEqual([11]);
    });

    it('resumes normally from the cursor just before the oldest retained entry', async () => {
      commit(10);
      store.trim(USER, 5);
      const session = openSession();

      await session.start(5);

      expect(sink.controls).toEqual([]);
      expect(sink.cursors()).toEqual(range(6, 10));
    });

    it('sends stream.reset cursor_unknown for a cursor ahead of the head', async () => {
      commit(3);
      const session = openSession();

      await session.start(99);

      sink.assertResetWith('cursor_unknown', 3);
      expect(sink.entries).toEqual([]);
      await commitAndPublish(1);
      expect(sink.cursors()).toEqual([4]);
    });
  });

  describe('live', () => {
    it('reads the missing entries from the log when a live entry skips ahead', async () => {
      commit(2);
      const session = openSession();
      await session.start(null);

      const [lost, next] = commit(2); // 3 was committed but its publish is late
      await broker.fanOut([next!]);
      await sink.waitForEntries(2);

      expect(sink.cursors()).toEqual([3, 4]);
      expect(log.reads.at(-1)).toBe(2);

      await broker.fanOut([lost!]); // the late one finally arrives: already delivered
      await commitAndPublish(1);
      expect(sink.cursors()).toEqual([3, 4, 5]);
      expect(session.cursor).toBe(5);
    });

    it('puts out-of-order live entries back in order', async () => {
      const session = openSession();
      await session.start(null);

      const [first, second, third] = commit(3);
      await broker.fanOut([third!, first!, second!]);
      await sink.waitForEntries(3);
      await commitAndPublish(1);

      expect(sink.cursors()).toEqual([1, 2, 3, 4]);
    });

    it('drops duplicates', async () => {
      const session = openSession();
      await session.start(null);

      const entries = await commitAndPublish(3);
      await broker.fanOut(entries);
      await broker.fanOut([entries[1]!]);
      await commitAndPublish(1);

      expect(sink.cursors()).toEqual([1, 2, 3, 4]);
    });

    it('delivers in-order live entries without reading the log', async () => {
      const session = openSession();
      await session.start(null);
      const readsAfterStart = log.reads.length;

      await commitAndPublish(3);

      expect(sink.cursors()).toEqual([1, 2, 3]);
      expect(log.reads).toHaveLength(readsAfterStart);
    });

    it('closes as unavailable and reports when the catch-up read fails', async () => {
      const session = openSession();
      await session.start(null);
      const failure = new Error('database down');
      log.failNextRead(failure);

      const [, second] = commit(2);
      await broker.fanOut([second!]);
      await expect(sink.waitForEntries(1)).rejects.toThrow(/unavailable/);

      sink.assertClosedWith('unavailable');
      expect(errors).toEqual([failure]);
      expect(closed).toEqual([session]);
      expect(session.isClosed).toBe(true);
    });
  });

  describe('what a device receives', () => {
    it('applies the type filter to replayed and live entries alike, without re-reading skipped ones', async () => {
      commit(1, { type: 'read' });
      commit(1, { type: 'created' });
      const session = openSession({ filter: EventTypeFilter.parse('notification.created') });

      await session.start(0);
      await commitAndPublish(1, { type: 'read' });
      const readsBefore = log.reads.length;
      await commitAndPublish(1, { type: 'created' });

      expect(sink.cursors()).toEqual([2, 4]);
      expect(sink.types()).toEqual(['notification.created', 'notification.created']);
      expect(session.cursor).toBe(4);
      expect(log.reads).toHaveLength(readsBefore);
    });

    it("with excludeOwn, skips the device's own events but keeps other devices' ones", async () => {
      const session = openSession({ excludeOwn: true, deviceId: 'phone' });
      await session.start(null);

      await commitAndPublish(1, { deviceId: 'phone' });
      await commitAndPublish(1, { deviceId: 'laptop' });
      await commitAndPublish(1);

      expect(sink.cursors()).toEqual([2, 3]);
      expect(session.cursor).toBe(3);
    });

    it("without excludeOwn, delivers the device's own events too", async () => {
      const session = openSession({ excludeOwn: false, deviceId: 'phone' });
      await session.start(null);

      await commitAndPublish(2, { deviceId: 'phone' });

      expect(sink.cursors()).toEqual([1, 2]);
    });

    it("never receives another user's entries", async () => {
      const session = openSession();
      await session.start(null);

      commit(3, { userId: 'u2' });
      await broker.fanOut(store.entriesOf('u2'));
      await commitAndPublish(1);

      expect(sink.entries.map((e) => e.userId)).toEqual([USER]);
      expect(sink.cursors()).toEqual([1]);
    });
  });

  describe('slow consumer', () => {
    it('closes with slow_consumer once the sink buffers more than the limit, and sends nothing more', async () => {
      const session = openSession({ maxBufferedBytes: 100 });
      await session.start(null);

      await commitAndPublish(1);
      sink.bufferedBytes = 101;
      await commitAndPublish(1);
      await commitAndPublish(1);

      expect(sink.cursors()).toEqual([1, 2]);
      sink.assertClosedWith('slow_consumer');
      expect(closed).toEqual([session]);
    });

    it('stays open at exactly the limit', async () => {
      const session = openSession({ maxBufferedBytes: 100 });
      await session.start(null);
      sink.bufferedBytes = 100;

      await commitAndPublish(2);
      session.heartbeat();

      sink.assertOpen();
      expect(sink.cursors()).toEqual([1, 2]);
    });

    it('notices a reader that stopped reading on the heartbeat', async () => {
      const session = openSession({ maxBufferedBytes: 100 });
      await session.start(null);
      sink.bufferedBytes = 5_000;

      session.heartbeat();

      expect(sink.heartbeats).toBe(1);
      sink.assertClosedWith('slow_consumer');
    });
  });

  it('setFilter changes the types delivered from the next entry on', async () => {
    const session = openSession({ filter: EventTypeFilter.parse('notification.read') });
    await session.start(null);
    await commitAndPublish(1, { type: 'created' });
    await commitAndPublish(1, { type: 'read' });

    session.setFilter(EventTypeFilter.parse('notification.created'));
    await commitAndPublish(1, { type: 'read' });
    await commitAndPublish(1, { type: 'created' });

    expect(sink.entries.map((e) => [e.cursor, e.event.type])).toEqual([
      [2, 'notification.read'],
      [4, 'notification.created'],
    ]);
  });

  describe('token expiry', () => {
    // openSession's token expires at 01:00; the clock starts at 00:00.
    const expiresAt = new Date('2026-01-01T01:00:00Z').getTime();

    it('sends stream.reauth once within the lead, then closes with token_expired at expiry', async () => {
      const session = openSession();
      await session.start(null);

      session.checkToken(expiresAt - 60_001, 60_000);
      expect(sink.controls).toEqual([]);
      session.checkToken(expiresAt - 60_000, 60_000);
      session.checkToken(expiresAt - 1, 60_000);
      expect(sink.controls).toEqual([{ type: 'stream.reauth', data: { expiresAt: '2026-01-01T01:00:00.000Z' } }]);
      sink.assertOpen();

      session.checkToken(expiresAt, 60_000);
      sink.assertClosedWith('token_expired');
      expect(closed).toEqual([session]);
    });

    it('sends nothing once closed', async () => {
      const session = openSession();
      await session.start(null);
      session.close('shutdown');
      session.checkToken(expiresAt - 1, 60_000);
      session.checkToken(expiresAt, 60_000);
      expect(sink.controls).toEqual([]);
      sink.assertClosedWith('shutdown');
    });
  });

  it('closes once and ignores everything after', async () => {
    const session = openSession();
    await session.start(null);

    session.close('session_revoked');
    session.close('shutdown');
    session.heartbeat();
    session.sendControl({ type: 'stream.reauth', data: { expiresAt: clock.now().toISOString() } });
    await commitAndPublish(1);

    sink.assertClosedWith('session_revoked');
    expect(sink.entries).toEqual([]);
    expect(closed).toEqual([session]);
  });
});
