import {
  defaultEventTypes,
  NO_STREAM_OBSERVER,
  resumeProblemOf,
  type DeliveryPolicy,
  type DeviceSink,
  type EventLog,
  type ObservedStream,
  type StreamObserver,
  type StreamCloseReason,
  type StreamControl,
  type StreamEntry,
} from '@pushline/domain';
import type { EventTypeFilter } from './event-type-filter.js';

export interface DeviceSessionOptions {
  /** Entries read from the log per query while catching up. */
  readonly replayPageSize: number;
  /** A sink holding more unsent bytes than this is closed as a slow consumer. */
  readonly maxBufferedBytes: number;
  /**
   * Above this many unsent bytes a device counts as behind: a live `latest-wins` entry is then not
   * written at once but read back from the log after the buffer drains, newest per (type, subject)
   * only. Default 64 KiB.
   */
  readonly latestWinsLowWaterBytes?: number;
  /** Delivery policy of an event type; the default reads the domain's catalog. */
  readonly deliveryOf?: (type: string) => DeliveryPolicy;
}

const DEFAULT_LATEST_WINS_LOW_WATER_BYTES = 64 * 1024;

export interface DeviceIdentity {
  readonly userId: string;
  /** The login session (token) the stream was opened with; logout closes its streams. */
  readonly sessionId: string;
  readonly deviceId?: string;
  readonly expiresAt: Date;
}

/**
 * One device's view of its user's stream. It keeps the last cursor it delivered and delivers every
 * later entry exactly once, in cursor order: live entries that arrive in order go straight out;
 * anything else (a resume, a gap, entries that raced a replay) is read from the event log, which
 * holds every committed entry. That single rule is what makes the replay/live seam gap-free.
 */
export class DeviceSession {
  private lastCursor = 0;
  private highestSeen = 0;
  private started = false;
  private catchingUp = false;
  private closed = false;
  private replaying = false;
  private endReason: StreamCloseReason | undefined;
  /** What observers see of this stream: built once, so hot paths allocate nothing. */
  readonly observed: ObservedStream;
  reauthSent = false;

  constructor(
    readonly identity: DeviceIdentity,
    private filter: EventTypeFilter,
    private readonly excludeOwn: boolean,
    private readonly sink: DeviceSink,
    private readonly log: EventLog,
    private readonly options: DeviceSessionOptions,
    private readonly onClosed: (session: DeviceSession) => void,
    private readonly onError: (error: unknown) => void,
    private readonly observer: StreamObserver = NO_STREAM_OBSERVER,
  ) {
    this.observed = {
      userId: identity.userId,
      transport: sink.transport ?? 'unknown',
      ...(identity.deviceId !== undefined && { deviceId: identity.deviceId }),
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The reason the server gave when it closed the stream; undefined when the client went away. */
  get closeReason(): StreamCloseReason | undefined {
    return this.endReason;
  }

  get cursor(): number {
    return this.lastCursor;
  }

  /**
   * Changes which event types the device wants, from the next delivered entry on. Entries already
   * skipped by the old filter are not re-sent: the cursor moved past them.
   */
  setFilter(filter: EventTypeFilter): void {
    this.filter = filter;
  }

  /**
   * Positions the session after `resumeFrom` (the client's Last-Event-ID) or, without one, at the
   * stream's head, then replays what the client missed. A cursor the log can no longer serve yields
   * `stream.reset` rather than a silent gap.
   */
  async start(resumeFrom: number | null): Promise<void> {
    const { userId } = this.identity;
    const head = await this.log.headCursor(userId);
    let position = resumeFrom ?? head;
    if (resumeFrom !== null) {
      const problem = resumeProblemOf(resumeFrom, head, await this.log.oldestRetainedCursor(userId));
      if (problem) {
        position = head;
        this.sink.sendControl({ type: 'stream.reset', data: { reason: problem, cursor: head } });
      }
    }
    this.lastCursor = position;
    this.highestSeen = Math.max(this.highestSeen, position);
    this.started = true;
    await this.catchUp();
  }

  /** Called for every live entry of this user, on every instance. */
  offer(entry: StreamEntry): void {
    if (entry.ephemeral) {
      // Not in the stream: straight out to whoever is connected, cursor untouched, even mid-replay.
      if (this.started && !this.closed && this.wants(entry)) this.write(entry);
      return;
    }
    if (this.closed || entry.cursor <= this.lastCursor) return;
    this.highestSeen = Math.max(this.highestSeen, entry.cursor);
    if (!this.started || this.catchingUp) return;
    if (entry.cursor !== this.lastCursor + 1) this.catchUpInBackground();
    else if (this.isBehind() && this.policyOf(entry) === 'latest-wins') this.catchUpInBackground({ afterDrain: true });
    else this.deliver(entry);
  }

  /**
   * Reads the log for anything after the last delivered cursor. Used when live entries may have
   * been missed without a later one to reveal the gap (e.g. the broker connection was down).
   */
  resync(): void {
    if (this.started && !this.closed) this.catchUpInBackground();
  }

  sendControl(control: StreamControl): void {
    if (!this.closed) this.sink.sendControl(control);
  }

  /** A heartbeat also notices a reader that stopped reading: its unsent bytes keep growing. */
  heartbeat(): void {
    if (this.closed) return;
    this.sink.heartbeat();
    this.closeIfSlow();
  }

  close(reason?: StreamCloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.endReason = reason;
    if (reason) this.sink.close(reason);
    this.onClosed(this);
  }

  private catchUpInBackground(options: { afterDrain?: boolean } = {}): void {
    this.catchUp(options).catch((error: unknown) => {
      this.onError(error);
      this.close('unavailable');
    });
  }

  private async catchUp({ afterDrain = false }: { afterDrain?: boolean } = {}): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      // Entries arriving while the buffer drains are read from the log afterwards, where newer
      // latest-wins values replace older ones.
      if (afterDrain) await this.sink.whenWritable();
      for (;;) {
        const page = await this.log.readAfter(this.identity.userId, this.lastCursor, this.options.replayPageSize);
        const first = page[0];
        if (first && first.cursor > this.lastCursor + 1) {
          // Retention removed entries after the client's cursor (it ran after start() checked): say so.
          this.sink.sendControl({ type: 'stream.reset', data: { reason: 'cursor_expired', cursor: first.cursor - 1 } });
          this.lastCursor = first.cursor - 1;
        }
        const superseded = this.supersededIn(page);
        this.replaying = true;
        for (const entry of page) {
          if (superseded.has(entry)) this.skip(entry);
          else this.deliver(entry);
        }
        this.replaying = false;
        if (this.closed) return;
        if (page.length === this.options.replayPageSize) {
          await this.sink.whenWritable();
          continue;
        }
        // Live entries that arrived during the read are in the log too: read again until level.
        if (page.length === 0 || this.highestSeen <= this.lastCursor) {
          this.highestSeen = this.lastCursor;
          return;
        }
      }
    } finally {
      this.catchingUp = false;
      this.replaying = false;
    }
  }

  private deliver(entry: StreamEntry): void {
    if (this.closed || entry.cursor <= this.lastCursor) return;
    this.lastCursor = entry.cursor;
    if (this.wants(entry)) this.write(entry);
  }

  /** Passes over an entry without sending it; the cursor still moves, so nothing is re-read or skipped. */
  private skip(entry: StreamEntry): void {
    if (!this.closed && entry.cursor > this.lastCursor) this.lastCursor = entry.cursor;
  }

  private wants(entry: StreamEntry): boolean {
    const own = this.excludeOwn && this.identity.deviceId !== undefined && entry.event.deviceid === this.identity.deviceId;
    return !own && this.filter.matches(entry.event.type);
  }

  private write(entry: StreamEntry): void {
    this.sink.send(entry);
    this.observer.delivered(entry, this.observed.transport, this.replaying);
    this.closeIfSlow();
  }

  private policyOf(entry: StreamEntry): DeliveryPolicy {
    return (this.options.deliveryOf ?? ((type) => defaultEventTypes.deliveryOf(type)))(entry.event.type);
  }

  private isBehind(): boolean {
    return this.sink.bufferedBytes > (this.options.latestWinsLowWaterBytes ?? DEFAULT_LATEST_WINS_LOW_WATER_BYTES);
  }

  /** Latest-wins entries of a page that a later entry of the same (type, subject) in that page replaces. */
  private supersededIn(page: readonly StreamEntry[]): Set<StreamEntry> {
    const superseded = new Set<StreamEntry>();
    const newest = new Set<string>();
    for (let i = page.length - 1; i >= 0; i -= 1) {
      const entry = page[i]!;
      if (this.policyOf(entry) !== 'latest-wins') continue;
      const key = `${entry.event.type}\u0000${entry.event.subject}`;
      if (newest.has(key)) superseded.add(entry);
      else newest.add(key);
    }
    return superseded;
  }

  private closeIfSlow(): void {
    if (this.sink.bufferedBytes > this.options.maxBufferedBytes) this.close('slow_consumer');
  }
}
