import {
  NO_STREAM_OBSERVER,
  resumeProblemOf,
  type DeviceSink,
  type EventLog,
  type ObservedStream,
  type StreamObserver,
  type StreamCloseReason,
  type StreamControl,
  type StreamEntry,
} from '@pushline/domain';
import { DeviceFilter } from './device-filter.js';
import { DeviceObservation } from './device-observation.js';
import type { EventTypeFilter } from './event-type-filter.js';
import { LatestWinsCoalescer, type LatestWinsOptions } from './latest-wins-coalescer.js';
import { ReplayCursor } from './replay-cursor.js';
import { SlowConsumerPolicy } from './slow-consumer-policy.js';
import { TokenExpiry } from './token-expiry.js';

export interface DeviceSessionOptions extends LatestWinsOptions {
  /** Entries read from the log per query while catching up. */
  readonly replayPageSize: number;
  /** A sink holding more unsent bytes than this is closed as a slow consumer. */
  readonly maxBufferedBytes: number;
}

export interface DeviceIdentity {
  readonly userId: string;
  /** The login session (token) the stream was opened with; logout closes its streams. */
  readonly sessionId: string;
  readonly deviceId?: string;
  readonly expiresAt: Date;
  /** The user's tenant: the device also reads that tenant's broadcast stream (when the hub has one). */
  readonly tenantId?: string;
}

/**
 * One device's view of its user's stream. It keeps the last cursor it delivered and delivers every
 * later entry exactly once, in cursor order: live entries that arrive in order go straight out;
 * anything else (a resume, a gap, entries that raced a replay) is read from the event log, which
 * holds every committed entry. That single rule is what makes the replay/live seam gap-free.
 * What to send, when to coalesce and when to cut the device are decided by the parts it holds.
 */
export class DeviceSession {
  private readonly position = new ReplayCursor();
  private readonly coalescer: LatestWinsCoalescer;
  private readonly slowConsumer: SlowConsumerPolicy;
  private readonly token: TokenExpiry;
  private readonly observation: DeviceObservation;
  private filter: DeviceFilter;
  private started = false;
  private catchingUp = false;
  private closed = false;
  private replaying = false;
  private endReason: StreamCloseReason | undefined;
  /** What observers see of this stream: built once, so hot paths allocate nothing. */
  readonly observed: ObservedStream;

  constructor(
    readonly identity: DeviceIdentity,
    filter: EventTypeFilter,
    excludeOwn: boolean,
    private readonly sink: DeviceSink,
    private readonly log: EventLog,
    private readonly options: DeviceSessionOptions,
    private readonly onClosed: (session: DeviceSession) => void,
    private readonly onError: (error: unknown) => void,
    observer: StreamObserver = NO_STREAM_OBSERVER,
  ) {
    this.filter = new DeviceFilter(filter, excludeOwn, identity.deviceId);
    this.coalescer = new LatestWinsCoalescer(options);
    this.slowConsumer = new SlowConsumerPolicy(options.maxBufferedBytes);
    this.token = new TokenExpiry(identity.expiresAt);
    this.observation = new DeviceObservation(identity, sink, observer);
    this.observed = this.observation.stream;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The reason the server gave when it closed the stream; undefined when the client went away. */
  get closeReason(): StreamCloseReason | undefined {
    return this.endReason;
  }

  get cursor(): number {
    return this.position.position;
  }

  /**
   * Changes which event types the device wants, from the next delivered entry on. Entries already
   * skipped by the old filter are not re-sent: the cursor moved past them.
   */
  setFilter(filter: EventTypeFilter): void {
    this.filter = this.filter.withTypes(filter);
  }

  /**
   * Positions the session after `resumeFrom` (the client's Last-Event-ID) or, without one, at the
   * stream's head, then replays what the client missed. A cursor the log can no longer serve yields
   * `stream.reset` rather than a silent gap.
   */
  async start(resumeFrom: number | null, knownHead?: number): Promise<void> {
    const { userId } = this.identity;
    // `knownHead`: the caller read the head after this session was being offered live entries (as the
    // hub does for every device and its tenant lane), which is all a read here would guarantee.
    const head = knownHead ?? (await this.log.headCursor(userId));
    let position = resumeFrom ?? head;
    // A cursor at the head is neither unknown nor expired (retention never trims past the head), so
    // only one behind it is checked against what the log still holds.
    if (resumeFrom !== null && resumeFrom !== head) {
      const problem = resumeProblemOf(resumeFrom, head, await this.log.oldestRetainedCursor(userId));
      if (problem) {
        position = head;
        this.sink.sendControl({ type: 'stream.reset', data: { reason: problem, cursor: head } });
      }
    }
    this.position.moveTo(position);
    // Before anything else is written: a device that came without this id drops back to it, not to
    // nothing (a fresh open at the head would then miss what committed while it was away).
    if (position !== resumeFrom) this.sink.markPosition?.(position);
    this.started = true;
    // At the head (a new device, or one that had everything), the log holds nothing for it but what
    // committed after the head was read; the subscription was in place before that read, so each such
    // entry is offered live, and one offered while the head was being read left the cursor not level.
    // Only then is the log read: a new device costs one query, not two.
    if (position === head && this.position.isLevel) return;
    await this.catchUp();
  }

  /** Called for every live entry of this user, on every instance. */
  offer(entry: StreamEntry): void {
    if (entry.ephemeral) {
      // Not in the stream: straight out to whoever is connected, cursor untouched, even mid-replay.
      if (this.started && !this.closed && this.filter.wants(entry)) this.write(entry);
      return;
    }
    if (this.closed || this.position.covers(entry.cursor)) return;
    this.position.saw(entry.cursor);
    if (!this.started || this.catchingUp) return;
    if (!this.position.isNext(entry.cursor)) this.catchUpInBackground();
    else if (this.coalescer.holdsBack(entry, this.sink.bufferedBytes)) this.catchUpInBackground({ afterDrain: true });
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

  /**
   * Ends the stream once its token expired (`token_expired`), or asks the client once, `reauthLeadMs`
   * before, to renew it (`stream.reauth`). Called on the hub's shared timer.
   */
  checkToken(now: number, reauthLeadMs: number): void {
    const due = this.token.dueAt(now, reauthLeadMs);
    if (due === 'expired') this.close('token_expired');
    else if (due === 'reauth') this.sendControl({ type: 'stream.reauth', data: { expiresAt: this.identity.expiresAt.toISOString() } });
  }

  /** When the hub's shared timer gives this device its next heartbeat (epoch ms; the hub sets it). */
  heartbeatDueAt = 0;

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
        const page = await this.log.readAfter(this.identity.userId, this.position.position, this.options.replayPageSize);
        const first = page[0];
        if (first && first.cursor > this.position.position + 1) {
          // Retention removed entries after the client's cursor (it ran after start() checked): say so.
          this.sink.sendControl({ type: 'stream.reset', data: { reason: 'cursor_expired', cursor: first.cursor - 1 } });
          this.position.moveTo(first.cursor - 1);
        }
        const superseded = this.coalescer.supersededIn(page);
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
        if (page.length === 0 || this.position.isLevel) {
          this.position.level();
          return;
        }
      }
    } finally {
      this.catchingUp = false;
      this.replaying = false;
    }
  }

  private deliver(entry: StreamEntry): void {
    if (this.closed || !this.position.advanceTo(entry.cursor)) return;
    if (this.filter.wants(entry)) this.write(entry);
  }

  /** Passes over an entry without sending it; the cursor still moves, so nothing is re-read or skipped. */
  private skip(entry: StreamEntry): void {
    if (!this.closed) this.position.advanceTo(entry.cursor);
  }

  private write(entry: StreamEntry): void {
    this.sink.send(entry);
    this.observation.delivered(entry, this.replaying);
    this.closeIfSlow();
  }

  private closeIfSlow(): void {
    if (this.slowConsumer.isSlow(this.sink)) this.close('slow_consumer');
  }
}
