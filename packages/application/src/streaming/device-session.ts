import type { DeviceSink, EventLog, StreamCloseReason, StreamControl, StreamEntry } from '@pushline/domain';
import type { EventTypeFilter } from './event-type-filter.js';

export interface DeviceSessionOptions {
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
  reauthSent = false;

  constructor(
    readonly identity: DeviceIdentity,
    private readonly filter: EventTypeFilter,
    private readonly excludeOwn: boolean,
    private readonly sink: DeviceSink,
    private readonly log: EventLog,
    private readonly options: DeviceSessionOptions,
    private readonly onClosed: (session: DeviceSession) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  get cursor(): number {
    return this.lastCursor;
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
      const oldest = await this.log.oldestRetainedCursor(userId);
      const expired = oldest !== null && resumeFrom < oldest - 1;
      if (expired || resumeFrom > head) {
        position = head;
        const reason = expired ? 'cursor_expired' : 'cursor_unknown';
        this.sink.sendControl({ type: 'stream.reset', data: { reason, cursor: head } });
      }
    }
    this.lastCursor = position;
    this.highestSeen = Math.max(this.highestSeen, position);
    this.started = true;
    await this.catchUp();
  }

  /** Called for every live entry of this user, on every instance. */
  offer(entry: StreamEntry): void {
    if (this.closed || entry.cursor <= this.lastCursor) return;
    this.highestSeen = Math.max(this.highestSeen, entry.cursor);
    if (!this.started || this.catchingUp) return;
    if (entry.cursor === this.lastCursor + 1) this.deliver(entry);
    else this.catchUpInBackground();
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
    if (reason) this.sink.close(reason);
    this.onClosed(this);
  }

  private catchUpInBackground(): void {
    this.catchUp().catch((error: unknown) => {
      this.onError(error);
      this.close('unavailable');
    });
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (;;) {
        const page = await this.log.readAfter(this.identity.userId, this.lastCursor, this.options.replayPageSize);
        const first = page[0];
        if (first && first.cursor > this.lastCursor + 1) {
          // Retention removed entries after the client's cursor (it ran after start() checked): say so.
          this.sink.sendControl({ type: 'stream.reset', data: { reason: 'cursor_expired', cursor: first.cursor - 1 } });
          this.lastCursor = first.cursor - 1;
        }
        for (const entry of page) this.deliver(entry);
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
    }
  }

  private deliver(entry: StreamEntry): void {
    if (this.closed || entry.cursor <= this.lastCursor) return;
    this.lastCursor = entry.cursor;
    const own = this.excludeOwn && this.identity.deviceId !== undefined && entry.event.deviceid === this.identity.deviceId;
    if (own || !this.filter.matches(entry.event.type)) return;
    this.sink.send(entry);
    this.closeIfSlow();
  }

  private closeIfSlow(): void {
    if (this.sink.bufferedBytes > this.options.maxBufferedBytes) this.close('slow_consumer');
  }
}
