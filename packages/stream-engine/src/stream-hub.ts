import {
  LimitExceededError,
  type Clock,
  type DeliveryPolicy,
  type DeviceSink,
  type EventLog,
  type StreamCloseReason,
  type StreamEntry,
  type StreamObserver,
  type StreamInterest,
  type StreamInterestLease,
  type StreamSubscriber,
  type TenantEventLog,
  EVERY_USER_INTEREST,
  NO_STREAM_OBSERVER,
} from '@pushline/domain';
import { DeviceSession, type DeviceIdentity } from './device-session.js';
import type { EventTypeFilter } from './event-type-filter.js';
import { KnownHeads } from './known-heads.js';
import { PersonalLaneSink, TenantLaneLog, TenantLaneSink } from './tenant-lane.js';
import { TenantRooms } from './tenant-rooms.js';

export interface StreamHubOptions {
  /** Interval of the one shared heartbeat for every open stream. */
  readonly heartbeatMs: number;
  /** Open streams per user; one more is refused with `LimitExceededError` (HTTP 429). */
  readonly maxDevicesPerUser: number;
  /** `stream.reauth` is sent this long before the stream's token expires. */
  readonly reauthLeadMs: number;
  readonly replayPageSize: number;
  readonly maxBufferedBytes: number;
  /** See `LatestWinsOptions.latestWinsLowWaterBytes`. */
  readonly latestWinsLowWaterBytes?: number;
  /** See `LatestWinsOptions.deliveryOf`; tests of a catalog of their own pass its lookup. */
  readonly deliveryOf?: (type: string) => DeliveryPolicy;
}

export const DEFAULT_STREAM_HUB_OPTIONS: StreamHubOptions = {
  heartbeatMs: 15_000,
  maxDevicesPerUser: 20,
  reauthLeadMs: 60_000,
  replayPageSize: 200,
  maxBufferedBytes: 1024 * 1024,
};

export interface OpenStreamRequest {
  readonly identity: DeviceIdentity;
  readonly resumeFrom: number | null;
  /**
   * Where the device is in its tenant's broadcast stream (the second number of `Last-Event-ID`;
   * 0 for a plain cursor); null or absent: from the tenant stream's head. Used with `identity.tenantId`.
   */
  readonly tenantResumeFrom?: number | null;
  readonly filter: EventTypeFilter;
  readonly excludeOwn: boolean;
}

export interface StreamStats {
  readonly users: number;
  readonly devices: number;
  readonly maxDevicesPerUser: number;
  /** How many users have 1, 2, 3… devices open. */
  readonly devicesPerUser: Record<string, number>;
}

export interface StreamHubCollaborators {
  /** The tenants' broadcast streams; without it devices read their own stream only. */
  readonly tenantLog?: TenantEventLog;
  /** Tells a sharded broker which users' entries this instance needs (default: every user's). */
  readonly interest?: StreamInterest;
}

/** How often token expiry is checked; the heartbeat rides on the same timer. */
const TICK_MS = 1_000;

/**
 * The devices open on this instance, grouped by user (one "room" per user), fed from the stream
 * subscriber, and indexed by the login session they were opened with (logout closes those). One
 * timer serves heartbeats and token expiry for every connection.
 */
export class StreamHub {
  private readonly rooms = new Map<string, Set<DeviceSession>>();
  /** The same sessions by login session id; kept in step with `rooms` by `open` and `remove`. */
  private readonly byLoginSession = new Map<string, Set<DeviceSession>>();
  /** Each device's lane of its tenant's broadcast stream, by tenant (docs/stream-cursor.md). */
  private readonly tenantRooms = new TenantRooms();
  /** One broker interest per user with a room, taken with its first device, released with its last. */
  private readonly interests = new Map<string, StreamInterestLease>();
  /** The head of each user's stream with a room here, where this instance can vouch for it. */
  private readonly ownHeads = new KnownHeads();
  private readonly tenantLog: TenantEventLog | undefined;
  private readonly interest: StreamInterest;
  private unsubscribe: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Hands out heartbeat slots to devices in turn (`firstHeartbeatAt`). */
  private heartbeatSlots = 0;

  constructor(
    private readonly subscriber: StreamSubscriber,
    private readonly log: EventLog,
    private readonly clock: Clock,
    private readonly options: StreamHubOptions,
    private readonly onError: (error: unknown) => void,
    /** Told about opens, closes and deliveries (metrics, logs). */
    private readonly observer: StreamObserver = NO_STREAM_OBSERVER,
    { tenantLog, interest = EVERY_USER_INTEREST }: StreamHubCollaborators = {},
  ) {
    this.tenantLog = tenantLog;
    this.interest = interest;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.subscriber.subscribe((entry) => this.dispatch(entry));
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Registers the device, then replays what it missed; live entries arriving meanwhile are not lost. */
  async open(request: OpenStreamRequest, sink: DeviceSink): Promise<DeviceSession> {
    const { userId } = request.identity;
    const tenantId = this.tenantLog ? request.identity.tenantId : undefined;
    // Known before the device's own replay sends an id (each id carries it), read once the lane is registered.
    let tenantStart = 0;
    const room = this.rooms.get(userId) ?? new Set<DeviceSession>();
    if (room.size >= this.options.maxDevicesPerUser) {
      throw new LimitExceededError(
        'devices_per_user',
        `at most ${this.options.maxDevicesPerUser} streams may be open per user; close one first`,
      );
    }
    let lane: DeviceSession | undefined;
    const positions = { personal: () => session.cursor, tenant: () => Math.max(tenantStart, lane?.cursor ?? 0) };
    const session: DeviceSession = new DeviceSession(
      request.identity,
      request.filter,
      request.excludeOwn,
      tenantId ? new PersonalLaneSink(sink, positions) : sink,
      this.log,
      this.options,
      (closed) => this.remove(closed),
      this.onError,
      this.observer,
    );
    session.heartbeatDueAt = this.firstHeartbeatAt();
    room.add(session);
    this.rooms.set(userId, room);
    this.ownHeads.follow(userId);
    addTo(this.byLoginSession, request.identity.sessionId, session);
    let interest = this.interests.get(userId);
    if (!interest) this.interests.set(userId, (interest = this.interest.watch(userId)));
    this.observer.opened(session.observed);
    if (tenantId) {
      lane = new DeviceSession(request.identity, request.filter, request.excludeOwn, new TenantLaneSink(sink, positions), new TenantLaneLog(this.tenantLog!, tenantId), this.options, (closed) => this.tenantRooms.laneClosed(session, closed.closeReason), this.onError, this.observer);
      this.tenantRooms.add(tenantId, session, lane);
    }
    try {
      // Subscribed before the replay reads the log: whatever is fanned out after that read arrives live.
      await interest.ready;
      // Both heads at once, read after the device and its lane are registered and subscribed (whatever
      // commits after these reads is offered to them live), so each starts from its head without reading it
      // again; a head this instance vouches for is not read at all.
      const [ownHead, tenantHead] = await Promise.all([
        headFor(this.ownHeads, userId, request.resumeFrom, () => this.log.headCursor(userId)),
        tenantId ? headFor(this.tenantRooms.heads, tenantId, request.tenantResumeFrom ?? null, () => this.tenantLog!.headCursor(tenantId)) : 0,
      ]);
      tenantStart = tenantStartOf(request.tenantResumeFrom ?? null, tenantHead);
      await session.start(request.resumeFrom, ownHead);
      // After the device's own replay, so the tenant lane's ids carry the personal cursor it reached.
      await lane?.start(request.tenantResumeFrom ?? tenantStart, tenantHead);
    } catch (error) {
      session.close();
      throw error;
    }
    return session;
  }

  /** Changes the device's type filter, on its own stream and its tenant lane alike. */
  setFilter(session: DeviceSession, filter: EventTypeFilter): void {
    session.setFilter(filter);
    this.tenantRooms.laneOf(session)?.setFilter(filter);
  }

  /** Ends every stream opened with that login session (logout). */
  closeSession(sessionId: string, reason: StreamCloseReason = 'session_revoked'): number {
    // A copy: each close removes the session from the set while we walk it.
    const sessions = [...(this.byLoginSession.get(sessionId) ?? [])];
    for (const session of sessions) session.close(reason);
    return sessions.length;
  }

  /** How many login sessions have a stream open on this instance. */
  openLoginSessions(): number {
    return this.byLoginSession.size;
  }

  /** Ends every stream of that user (disabled or deleted by an operator); an index lookup, not a scan. */
  closeUser(userId: string, reason: StreamCloseReason = 'session_revoked'): number {
    const room = [...(this.rooms.get(userId) ?? [])];
    for (const session of room) session.close(reason);
    return room.length;
  }

  /** Every device re-reads its stream from its cursor: call after the broker may have dropped entries. */
  resyncAll(): void {
    this.ownHeads.forgetAll();
    for (const session of this.allSessions()) session.resync();
    this.tenantRooms.resyncAll();
  }

  /** Tells every device to reconnect elsewhere and stops feeding them. */
  shutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    for (const session of this.allSessions()) session.close('shutdown');
  }

  stats(): StreamStats {
    const devicesPerUser: Record<string, number> = {};
    let devices = 0;
    let max = 0;
    for (const room of this.rooms.values()) {
      devices += room.size;
      max = Math.max(max, room.size);
      devicesPerUser[room.size] = (devicesPerUser[room.size] ?? 0) + 1;
    }
    return { users: this.rooms.size, devices, maxDevicesPerUser: max, devicesPerUser };
  }

  private dispatch(entry: StreamEntry): void {
    if (this.tenantRooms.dispatch(entry, this.onError)) return;
    const room = this.rooms.get(entry.userId);
    if (!room) return;
    if (!entry.ephemeral) this.ownHeads.saw(entry.userId, entry.cursor);
    for (const session of room) {
      try {
        session.offer(entry);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  /**
   * Runs on the shared timer; public so tests can drive time with their own clock. Each device gets
   * its heartbeat one interval after the last, but devices are spread over the interval's ticks: 10,000
   * heartbeats written in one tick stalled the event loop long enough to be the p99 of delivery (372 ms
   * against 38 ms without them, at 10,000 streams and 100 events/s).
   */
  tick(): void {
    const now = this.clock.now().getTime();
    const { heartbeatMs } = this.options;
    for (const session of this.allSessions()) {
      session.checkToken(now, this.options.reauthLeadMs);
      if (now < session.heartbeatDueAt) continue;
      session.heartbeat();
      // A tick that came late does not make the next heartbeats come in a burst.
      session.heartbeatDueAt = Math.max(session.heartbeatDueAt + heartbeatMs, now + heartbeatMs / 2);
    }
  }

  /**
   * A new device's first heartbeat: one interval from now, less its slot's share of it, slots taken in
   * turn (`heartbeatMs / tick` of them), so the devices of a storm of opens do not all fall on one tick.
   */
  private firstHeartbeatAt(): number {
    const slots = Math.max(1, Math.floor(this.options.heartbeatMs / this.tickMs));
    const slot = this.heartbeatSlots++ % slots;
    return this.clock.now().getTime() + this.options.heartbeatMs - slot * this.tickMs;
  }

  /** The shared timer's period: a second, or the heartbeat interval when that is shorter. */
  private get tickMs(): number {
    return Math.min(TICK_MS, this.options.heartbeatMs);
  }

  private *allSessions(): Generator<DeviceSession> {
    for (const room of this.rooms.values()) yield* [...room];
  }

  private remove(session: DeviceSession): void {
    const { userId } = session.identity;
    if (!removeFrom(this.rooms, userId, session)) return;
    if (!this.rooms.has(userId)) {
      this.ownHeads.drop(userId);
      this.interests.get(userId)?.release();
      this.interests.delete(userId);
    }
    removeFrom(this.byLoginSession, session.identity.sessionId, session);
    this.tenantRooms.removeDevice(session);
    this.observer.closed(session.observed, session.closeReason ?? 'client_closed');
  }
}

function addTo(index: Map<string, Set<DeviceSession>>, key: string, session: DeviceSession): void {
  const sessions = index.get(key);
  if (sessions) sessions.add(session);
  else index.set(key, new Set([session]));
}

/** Removes the session and drops an emptied set, so the index never keeps a key for nobody. */
function removeFrom(index: Map<string, Set<DeviceSession>>, key: string, session: DeviceSession): boolean {
  const sessions = index.get(key);
  if (!sessions?.delete(session)) return false;
  if (sessions.size === 0) index.delete(key);
  return true;
}

/**
 * A stream's head for a device starting from `resumeFrom`: the one this instance vouches for, unless the
 * device names a cursor past it (it may have been given that entry by another instance first: the log
 * says whether it exists), else a read of the log, which then vouches for it.
 */
function headFor(heads: KnownHeads, key: string, resumeFrom: number | null, read: () => Promise<number>): number | Promise<number> {
  const known = heads.vouched(key);
  if (known !== undefined && (resumeFrom === null || resumeFrom <= known)) return known;
  return heads.read(key, read);
}

/**
 * Where a device's tenant lane starts: its cursor, or the stream's head without one. A cursor ahead
 * of the head is clamped here (the lane, started from the cursor itself, still says `stream.reset`),
 * so no id the device is given ever names it.
 */
function tenantStartOf(resumeFrom: number | null, head: number): number {
  return resumeFrom === null ? head : Math.min(resumeFrom, head);
}
