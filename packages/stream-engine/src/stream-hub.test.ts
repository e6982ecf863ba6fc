import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { EventFactory, LimitExceededError, notificationCreated, type EventLog, type StreamEntry } from '@pushline/domain';
import { FixedClock, InMemoryEventStore, RecordingDeviceSink, SequentialIdGenerator } from '@pushline/testing';
import type { DeviceIdentity } from './device-session.js';
import { EventTypeFilter } from './event-type-filter.js';
import { DEFAULT_STREAM_HUB_OPTIONS, StreamHub, type OpenStreamRequest, type StreamHubOptions } from './stream-hub.js';

const MINUTE = 60_000;

describe('StreamHub', () => {
  let clock: FixedClock;
  let store: InMemoryEventStore;
  let broker: InMemoryStreamBroker;
  let events: EventFactory;
  let errors: unknown[];
  let hub: StreamHub;
  let hubs: StreamHub[];
  let notificationNo: number;

  function createHub(options: Partial<StreamHubOptions> = {}, log: EventLog = store): StreamHub {
    hub = new StreamHub(
      broker,
      log,
      clock,
      { ...DEFAULT_STREAM_HUB_OPTIONS, heartbeatMs: 15_000, reauthLeadMs: MINUTE, maxDevicesPerUser: 3, ...options },
      (error) => errors.push(error),
    );
    hub.start();
    hubs.push(hub);
    return hub;
  }

  beforeEach(() => {
    clock = new FixedClock('2026-01-01T00:00:00.000Z');
    store = new InMemoryEventStore();
    broker = new InMemoryStreamBroker();
    events = new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test');
    errors = [];
    notificationNo = 0;
    hubs = [];
    createHub();
  });

  afterEach(() => {
    for (const h of hubs) h.shutdown();
  });

  function identity(userId: string, overrides: Partial<DeviceIdentity> = {}): DeviceIdentity {
    return { userId, sessionId: `${userId}-login`, expiresAt: new Date(clock.now().getTime() + 15 * MINUTE), ...overrides };
  }

  async function open(
    who: DeviceIdentity,
    request: Partial<Omit<OpenStreamRequest, 'identity'>> = {},
  ): Promise<RecordingDeviceSink> {
    const sink = new RecordingDeviceSink();
    await hub.open({ identity: who, resumeFrom: null, filter: EventTypeFilter.all, excludeOwn: false, ...request }, sink);
    return sink;
  }

  /** Commits `count` notifications for `userId` and publishes them, as the outbox relay does. */
  async function commitAndPublish(userId: string, count = 1): Promise<StreamEntry[]> {
    const batch = Array.from({ length: count }, () => {
      notificationNo += 1;
      const id = `n-${notificationNo}`;
      return events.create(notificationCreated, id, {
        notificationId: id,
        userId,
        title: id,
        body: '',
        priority: 'normal',
        data: null,
        createdAt: clock.now().toISOString(),
      });
    });
    const entries = store.append(batch);
    await broker.fanOut(entries);
    return entries;
  }

  describe('delivery', () => {
    it("feeds every device of a user, and only that user's devices", async () => {
      const phone = await open(identity('alice', { deviceId: 'phone' }));
      const laptop = await open(identity('alice', { deviceId: 'laptop' }));
      const bobs = await open(identity('bob'));

      await commitAndPublish('alice', 2);
      await commitAndPublish('bob', 1);
      await commitAndPublish('alice', 1);

      expect(phone.cursors()).toEqual([1, 2, 3]);
      expect(laptop.cursors()).toEqual([1, 2, 3]);
      expect(phone.entries.every((e) => e.userId === 'alice' && e.event.data)).toBe(true);
      expect(bobs.cursors()).toEqual([1]);
      expect(bobs.entries.map((e) => e.userId)).toEqual(['bob']);
    });

    it('replays from the resume cursor, then continues live', async () => {
      await commitAndPublish('alice', 4);

      const sink = await open(identity('alice'), { resumeFrom: 1 });
      expect(sink.cursors()).toEqual([2, 3, 4]);

      await commitAndPublish('alice', 2);
      expect(sink.cursors()).toEqual([2, 3, 4, 5, 6]);
    });

    it('passes each device its own filter and excludeOwn', async () => {
      const phone = await open(identity('alice', { deviceId: 'phone' }), {
        filter: EventTypeFilter.parse('notification.read'),
      });
      const laptop = await open(identity('alice', { deviceId: 'laptop' }), { excludeOwn: true });

      await commitAndPublish('alice', 1);

      expect(phone.entries).toEqual([]);
      expect(laptop.cursors()).toEqual([1]);
    });

    it('resyncAll() delivers entries the broker never passed on, from the log', async () => {
      const phone = await open(identity('alice'));
      await commitAndPublish('alice', 1);
      // Committed while the broker was down: in the log, never published.
      store.append([
        events.create(notificationCreated, 'n-lost', {
          notificationId: 'n-lost',
          userId: 'alice',
          title: 'lost',
          body: '',
          priority: 'normal',
          data: null,
          createdAt: clock.now().toISOString(),
        }),
      ]);
      expect(phone.cursors()).toEqual([1]);

      hub.resyncAll();
      await phone.waitForEntries(2);
      expect(phone.cursors()).toEqual([1, 2]);
    });

    it('stops feeding devices after shutdown and tells them to reconnect elsewhere', async () => {
      const sink = await open(identity('alice'));

      hub.shutdown();
      await commitAndPublish('alice', 1);

      sink.assertClosedWith('shutdown');
      expect(sink.entries).toEqual([]);
      expect(hub.stats().devices).toBe(0);
    });
  });

  describe('limits and failures', () => {
    it('refuses a device beyond the per-user limit with LimitExceededError', async () => {
      createHub({ maxDevicesPerUser: 2 });
      const first = await open(identity('alice'));
      await open(identity('alice'));

      await expect(open(identity('alice'))).rejects.toThrow(
        expect.objectContaining({ limit: 'devices_per_user', constructor: LimitExceededError }),
      );
      await expect(open(identity('bob'))).resolves.toBeDefined();
      expect(hub.stats()).toMatchObject({ users: 2, devices: 3 });

      hub.closeSession('alice-login');
      first.assertClosedWith('session_revoked');
      await expect(open(identity('alice'))).resolves.toBeDefined();
    });

    it('frees the slot when a device closes', async () => {
      createHub({ maxDevicesPerUser: 1 });
      await open(identity('alice', { sessionId: 'old' }));
      hub.closeSession('old');

      await expect(open(identity('alice'))).resolves.toBeDefined();
    });

    it('closes a slow consumer and removes it, while the other devices of the user keep receiving', async () => {
      createHub({ maxBufferedBytes: 1_000 });
      const slow = await open(identity('alice', { deviceId: 'slow' }));
      const fast = await open(identity('alice', { deviceId: 'fast' }));

      slow.bufferedBytes = 1_001;
      await commitAndPublish('alice', 1);
      await commitAndPublish('alice', 2);

      slow.assertClosedWith('slow_consumer');
      expect(slow.cursors()).toEqual([1]);
      expect(fast.cursors()).toEqual([1, 2, 3]);
      fast.assertOpen();
      expect(hub.stats()).toMatchObject({ users: 1, devices: 1 });
    });

    it('does not keep a device whose replay could not start', async () => {
      const failing: EventLog = {
        readAfter: () => Promise.reject(new Error('database down')),
        headCursor: () => Promise.resolve(3),
        oldestRetainedCursor: () => Promise.resolve(null),
      };
      createHub({}, failing);

      await expect(open(identity('alice'), { resumeFrom: 1 })).rejects.toThrow('database down');
      expect(hub.stats().devices).toBe(0);
      expect(hub.openLoginSessions()).toBe(0);
    });
  });

  describe('tick', () => {
    it('sends one heartbeat per interval to every open device, devices opened in turn a tick apart', async () => {
      const phone = await open(identity('alice'));
      const laptop = await open(identity('bob'));

      clock.advance(13_999);
      hub.tick();
      expect([phone.heartbeats, laptop.heartbeats]).toEqual([0, 0]);

      // The second device took the next slot: due one tick (1 s) before the first.
      clock.advance(1);
      hub.tick();
      expect([phone.heartbeats, laptop.heartbeats]).toEqual([0, 1]);

      clock.advance(1_000);
      hub.tick();
      hub.tick();
      expect([phone.heartbeats, laptop.heartbeats]).toEqual([1, 1]);

      clock.advance(15_000);
      hub.tick();
      expect([phone.heartbeats, laptop.heartbeats]).toEqual([2, 2]);
    });

    it('spreads the heartbeats of devices opened at once over the interval, instead of one burst', async () => {
      const devices = [];
      for (let i = 0; i < 30; i++) devices.push(await open(identity(`user-${i}`)));
      const perTick: number[] = [];
      let sent = 0;
      for (let t = 0; t < 15; t++) {
        clock.advance(1_000);
        hub.tick();
        const total = devices.reduce((n, d) => n + d.heartbeats, 0);
        perTick.push(total - sent);
        sent = total;
      }
      // 30 devices, 15 one-second slots: two per tick, each device once per 15 s.
      expect(perTick).toEqual(Array(15).fill(2));
      expect(devices.map((d) => d.heartbeats)).toEqual(Array(30).fill(1));
    });

    it('closes a device that stopped reading at the heartbeat', async () => {
      createHub({ maxBufferedBytes: 100 });
      const stuck = await open(identity('alice'));
      stuck.bufferedBytes = 101;

      clock.advance(15_000);
      hub.tick();

      stuck.assertClosedWith('slow_consumer');
      expect(hub.stats().devices).toBe(0);
    });

    it('sends stream.reauth once before the token expires, then closes with token_expired at expiry', async () => {
      const expiresAt = new Date(clock.now().getTime() + 5 * MINUTE);
      const sink = await open(identity('alice', { expiresAt }));
      const other = await open(identity('alice', { sessionId: 'fresh', expiresAt: new Date(expiresAt.getTime() + 30 * MINUTE) }));

      clock.advance(4 * MINUTE - 1);
      hub.tick();
      expect(sink.controls).toEqual([]);

      clock.advance(1);
      hub.tick();
      clock.advance(30_000);
      hub.tick();
      expect(sink.controls).toEqual([{ type: 'stream.reauth', data: { expiresAt: expiresAt.toISOString() } }]);
      sink.assertOpen();

      clock.advance(30_000 - 1);
      hub.tick();
      sink.assertOpen();

      clock.advance(1);
      hub.tick();
      sink.assertClosedWith('token_expired');
      expect(sink.controlTypes()).toEqual(['stream.reauth']);
      expect(hub.stats().devices).toBe(1);

      other.assertOpen();
      expect(other.controls).toEqual([]);
      await commitAndPublish('alice', 1);
      expect(other.cursors()).toEqual([1]);
    });
  });

  describe('closeSession', () => {
    it("closes only that login session's streams", async () => {
      const phone = await open(identity('alice', { sessionId: 'login-1', deviceId: 'phone' }));
      const laptop = await open(identity('alice', { sessionId: 'login-1', deviceId: 'laptop' }));
      const tablet = await open(identity('alice', { sessionId: 'login-2', deviceId: 'tablet' }));
      const bobs = await open(identity('bob', { sessionId: 'login-3' }));

      expect(hub.closeSession('login-1')).toBe(2);

      phone.assertClosedWith('session_revoked');
      laptop.assertClosedWith('session_revoked');
      await commitAndPublish('alice', 1);
      await commitAndPublish('bob', 1);
      expect(tablet.cursors()).toEqual([1]);
      expect(bobs.cursors()).toEqual([1]);
      expect(phone.entries).toEqual([]);
      expect(hub.closeSession('login-1')).toBe(0);
      expect(hub.stats()).toMatchObject({ users: 2, devices: 2 });
    });

    it('keeps its login-session index in step: other logins untouched, empty once every stream closed', async () => {
      createHub({ maxDevicesPerUser: 5 });
      const login1 = [
        await open(identity('alice', { sessionId: 'login-1', deviceId: 'phone' })),
        await open(identity('alice', { sessionId: 'login-1', deviceId: 'laptop' })),
      ];
      const login2 = await open(identity('alice', { sessionId: 'login-2' }));
      const bob = await open(identity('bob', { sessionId: 'login-3' }));
      const leaving = new RecordingDeviceSink();
      const request = { identity: identity('alice', { sessionId: 'login-4' }), resumeFrom: null, filter: EventTypeFilter.all, excludeOwn: false };
      const left = await hub.open(request, leaving);
      expect(hub.openLoginSessions()).toBe(4);

      expect(hub.closeSession('login-1')).toBe(2);
      for (const sink of login1) sink.assertClosedWith('session_revoked');
      expect(hub.openLoginSessions()).toBe(3);
      left.close(); // the client went away: its login drops out of the index too
      expect(hub.openLoginSessions()).toBe(2);
      await commitAndPublish('alice', 1);
      await commitAndPublish('bob', 1);
      expect([login2.cursors(), bob.cursors(), leaving.entries]).toEqual([[1], [1], []]);
      login2.assertOpen();
      bob.assertOpen();

      expect(hub.closeSession('login-2', 'shutdown')).toBe(1);
      login2.assertClosedWith('shutdown');
      clock.advance(15 * MINUTE);
      hub.tick();
      bob.assertClosedWith('token_expired');
      expect(hub.openLoginSessions()).toBe(0);
      expect(hub.stats()).toEqual({ users: 0, devices: 0, maxDevicesPerUser: 0, devicesPerUser: {} });
      expect(['login-1', 'login-2', 'login-3', 'login-4'].map((id) => hub.closeSession(id))).toEqual([0, 0, 0, 0]);
    });
  });

  it('stats() counts users, devices and how many users have n devices', async () => {
    expect(hub.stats()).toEqual({ users: 0, devices: 0, maxDevicesPerUser: 0, devicesPerUser: {} });

    await open(identity('alice'));
    await open(identity('alice'));
    await open(identity('bob'));
    await open(identity('carol', { sessionId: 'carol-only' }));
    await open(identity('carol'));

    expect(hub.stats()).toEqual({ users: 3, devices: 5, maxDevicesPerUser: 2, devicesPerUser: { 1: 1, 2: 2 } });

    hub.closeSession('carol-only');
    hub.closeSession('bob-login');
    expect(hub.stats()).toEqual({ users: 2, devices: 3, maxDevicesPerUser: 2, devicesPerUser: { 1: 1, 2: 1 } });
    expect(errors).toEqual([]);
  });
});
