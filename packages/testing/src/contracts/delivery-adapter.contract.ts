import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/** A message the client received: a stream entry (with its cursor as `id`) or a control message. */
export interface DeliveredMessage {
  readonly id?: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface DeliveryCredentials {
  readonly bearer?: string;
  /** Raw `Cookie` header, as a browser would send it. */
  readonly cookie?: string;
}

export interface DeliveryConnectOptions extends DeliveryCredentials {
  readonly lastEventId?: string;
  readonly types?: string;
  readonly excludeOwn?: boolean;
  readonly deviceId?: string;
}

/** One device's connection, whatever the transport: it records what arrives and lets a test await it. */
export interface DeliveryClient {
  /** Entries and control messages, in arrival order. */
  readonly events: readonly DeliveredMessage[];
  /** Whether the server ended (or cut) the connection. */
  readonly ended: boolean;
  waitForOpen(): Promise<void>;
  /** Resolves once `condition` holds; rejects after a failure bound with what arrived so far. */
  waitUntil(condition: () => boolean, description: string, timeoutMs?: number): Promise<void>;
  /** The HTTP status of a connection the server refused. */
  waitForRefusal(): Promise<number>;
  waitForEnd(): Promise<void>;
  /** Stops reading, as a stalled device would (the server's send buffer fills up); returns "resume". */
  stopReading(): () => void;
  close(): void;
}

/** A real server with one transport under test, driven through its public API. */
export interface DeliveryFixture {
  logIn(email: 'alice@example.com' | 'bob@example.com'): Promise<DeliveryCredentials>;
  /** Creates a notification for the caller; `padding` adds that many bytes of data. Returns its id. */
  notify(as: DeliveryCredentials, options?: { title?: string; deviceId?: string; padding?: number }): Promise<string>;
  markRead(as: DeliveryCredentials, notificationId: string): Promise<void>;
  /**
   * Publishes a ~64 KiB notification.created entry for the caller straight to the broker (not stored)
   * as their next cursor: fills a stalled device's buffers in a few calls instead of thousands.
   * Only for the slow-consumer test: the log no longer matches the cursors sent.
   */
  pushLargeEntry(as: DeliveryCredentials): Promise<void>;
  connect(options: DeliveryConnectOptions): DeliveryClient;
  /** Runs retention so that every entry published so far is gone from the event log. */
  purgeHistory(): Promise<void>;
  /** Graceful server stop, as on SIGTERM. */
  shutdown(): Promise<void>;
  /** Frees everything (after shutdown or not). */
  stop(): Promise<void>;
}

/** The setup must start the server with a slow-consumer limit of about 64 KiB–1 MiB. */
export type DeliveryFixtureSetup = () => Promise<DeliveryFixture>;

const idOf = (m: DeliveredMessage): string | undefined => (m.data.data as { notificationId?: string } | undefined)?.notificationId;

/**
 * The behaviour every delivery transport (SSE, WebSocket) shares, against a real server: order,
 * resume, filters, refusal, slow readers, retention resets and shutdown.
 */
export function describeDeliveryAdapterContract(name: string, setup: DeliveryFixtureSetup): void {
  describe(`${name} delivery adapter contract`, () => {
    let f: DeliveryFixture;
    let alice: DeliveryCredentials;
    const clients: DeliveryClient[] = [];
    const connect = (options: DeliveryConnectOptions): DeliveryClient => {
      const client = f.connect(options);
      clients.push(client);
      return client;
    };
    const created = (c: DeliveryClient): DeliveredMessage[] => c.events.filter((e) => e.type === 'notification.created');

    beforeAll(async () => {
      f = await setup();
      alice = await f.logIn('alice@example.com');
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      await f?.stop();
    });

    it('delivers live entries in cursor order, each with its cursor as id', async () => {
      const device = connect({ bearer: alice.bearer });
      await device.waitForOpen();
      const ids: string[] = [];
      for (const title of ['one', 'two', 'three']) ids.push(await f.notify(alice, { title }));
      await device.waitUntil(() => created(device).length === 3, 'three entries');
      expect(created(device).map(idOf)).toEqual(ids);
      const cursors = created(device).map((e) => Number(e.id));
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
      expect(new Set(cursors).size).toBe(3);
    });

    it('resumes after a cursor: replays what came later, then continues live', async () => {
      const first = connect({ cookie: alice.cookie });
      await first.waitForOpen();
      const ids = [await f.notify(alice), await f.notify(alice), await f.notify(alice)];
      await first.waitUntil(() => created(first).length === 3, 'three entries');
      const resumeFrom = created(first)[0]!.id!;

      const resumed = connect({ cookie: alice.cookie, lastEventId: resumeFrom });
      await resumed.waitUntil(() => created(resumed).length === 2, 'the replay');
      const live = await f.notify(alice);
      await resumed.waitUntil(() => created(resumed).length === 3, 'the live entry');
      expect(created(resumed).map(idOf)).toEqual([ids[1], ids[2], live]);
      expect(resumed.events.filter((e) => e.type === 'stream.reset')).toEqual([]);
    });

    it('sends only the requested types', async () => {
      const reads = connect({ bearer: alice.bearer, types: 'notification.read' });
      await reads.waitForOpen();
      const id = await f.notify(alice);
      await f.markRead(alice, id);
      await reads.waitUntil(() => reads.events.some((e) => e.type === 'notification.read'), 'the read entry');
      // The created entry came first in the stream: had the filter let it through, it would be here.
      expect(reads.events.map((e) => e.type)).toEqual(['notification.read']);
    });

    it('with excludeOwn, skips what the device itself caused', async () => {
      const phone = connect({ bearer: alice.bearer, deviceId: 'contract-phone', excludeOwn: true });
      await phone.waitForOpen();
      const own = await f.notify(alice, { deviceId: 'contract-phone' });
      const other = await f.notify(alice, { deviceId: 'contract-laptop' });
      await phone.waitUntil(() => created(phone).some((e) => idOf(e) === other), "the other device's entry");
      expect(created(phone).map(idOf)).toEqual([other]);
      expect(own).not.toBe(other);
    });

    it('refuses a connection without a token with 401, before any stream opens', async () => {
      const anonymous = connect({});
      expect(await anonymous.waitForRefusal()).toBe(401);
      expect(anonymous.events).toEqual([]);
    });

    it('ends the connection of a device that stops reading, and keeps serving the others', async () => {
      const stalled = connect({ bearer: alice.bearer });
      const healthy = connect({ bearer: alice.bearer });
      await Promise.all([stalled.waitForOpen(), healthy.waitForOpen()]);
      const resume = stalled.stopReading();
      // ~6 MiB: more than a loopback connection holds in kernel buffers before the server's own grows.
      const burst = 96;
      for (let i = 1; i <= burst; i += 1) {
        await f.pushLargeEntry(alice);
        await healthy.waitUntil(() => healthy.events.length === i, `large entry ${i}`);
      }
      resume();
      await stalled.waitForEnd();
      expect(stalled.events.length).toBeLessThan(burst);
      expect(healthy.ended).toBe(false);
      expect(healthy.events.map((e) => e.type)).toEqual(Array.from({ length: burst }, () => 'notification.created'));
    });

    it('answers a resume from a purged cursor with stream.reset, then continues live', async () => {
      const device = connect({ bearer: alice.bearer });
      await device.waitForOpen();
      await f.notify(alice);
      await device.waitUntil(() => created(device).length === 1, 'an entry');
      const old = Number(created(device)[0]!.id) - 1;
      await f.purgeHistory();

      const late = connect({ bearer: alice.bearer, lastEventId: String(old) });
      await late.waitUntil(() => late.events.some((e) => e.type === 'stream.reset'), 'stream.reset');
      expect(late.events[0]).toMatchObject({ type: 'stream.reset', data: { reason: 'cursor_expired' } });
      const reset = late.events[0]!.data as { cursor: number };
      const live = await f.notify(alice);
      await late.waitUntil(() => created(late).some((e) => idOf(e) === live), 'the live entry');
      expect(created(late).every((e) => Number(e.id) > reset.cursor)).toBe(true);
      expect(idOf(created(late).at(-1)!)).toBe(live);
    });

    // Last: it stops the server.
    it('tells open devices to reconnect elsewhere when the server shuts down', async () => {
      const device = connect({ cookie: alice.cookie });
      await device.waitForOpen();
      await f.shutdown();
      await device.waitUntil(() => device.events.some((e) => e.type === 'stream.closed'), 'stream.closed');
      expect(device.events.at(-1)).toEqual({ type: 'stream.closed', data: { reason: 'shutdown', reconnect: true } });
      await device.waitForEnd();
    });
  });
}
