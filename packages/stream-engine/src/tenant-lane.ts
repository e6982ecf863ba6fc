import {
  formatStreamPosition,
  type DeviceSink,
  type EventLog,
  type StreamCloseReason,
  type StreamControl,
  type StreamEntry,
  type TenantEventLog,
} from '@pushline/domain';

/** What the two sinks of one device read of its two sessions' positions. */
export interface LanePositions {
  /** The last personal cursor the device was given. */
  personal(): number;
  /** The last tenant cursor the device was given (or will start from, before its lane started). */
  tenant(): number;
}

/**
 * The device's own stream, written with the combined id: `<personal>.<tenant>` once the device has a
 * tenant position, the plain cursor before (so devices of tenants that never broadcast see no change).
 */
export class PersonalLaneSink implements DeviceSink {
  constructor(
    private readonly real: DeviceSink,
    private readonly positions: LanePositions,
  ) {}

  get transport(): string | undefined {
    return this.real.transport;
  }

  send(entry: StreamEntry): void {
    const tenant = entry.ephemeral ? 0 : this.positions.tenant();
    this.real.send(tenant === 0 ? entry : { ...entry, resumeId: formatStreamPosition({ personal: entry.cursor, tenant }) });
  }

  sendControl(control: StreamControl): void {
    this.real.sendControl(control);
  }

  markPosition(cursor: number): void {
    const tenant = this.positions.tenant();
    this.real.markPosition?.(cursor, tenant === 0 ? undefined : formatStreamPosition({ personal: cursor, tenant }));
  }

  heartbeat(): void {
    this.real.heartbeat();
  }

  get bufferedBytes(): number {
    return this.real.bufferedBytes;
  }

  whenWritable(): Promise<void> {
    return this.real.whenWritable();
  }

  close(reason: StreamCloseReason): void {
    this.real.close(reason);
  }
}

/**
 * The tenant's shared stream, written into the same connection: every entry carries the pair, and a
 * `stream.reset` says it is the tenant's stream that was cut. Heartbeats and closing belong to the
 * device's own session (the hub closes one with the other), so they are not done here.
 */
export class TenantLaneSink implements DeviceSink {
  constructor(
    private readonly real: DeviceSink,
    private readonly positions: LanePositions,
  ) {}

  get transport(): string | undefined {
    return this.real.transport;
  }

  send(entry: StreamEntry): void {
    this.real.send({ ...entry, resumeId: formatStreamPosition({ personal: this.positions.personal(), tenant: entry.cursor }) });
  }

  sendControl(control: StreamControl): void {
    this.real.sendControl(control.type === 'stream.reset' ? { type: control.type, data: { ...control.data, stream: 'tenant' } } : control);
  }

  /** The lane marks only after a reset of its cursor: a lane starting where the device's id says needs none. */
  markPosition(cursor: number): void {
    this.real.markPosition?.(cursor, formatStreamPosition({ personal: this.positions.personal(), tenant: cursor }));
  }

  heartbeat(): void {}

  get bufferedBytes(): number {
    return this.real.bufferedBytes;
  }

  whenWritable(): Promise<void> {
    return this.real.whenWritable();
  }

  close(): void {}
}

/** One tenant's shared stream as the `EventLog` a `DeviceSession` reads (its user argument is ignored). */
export class TenantLaneLog implements EventLog {
  constructor(
    private readonly log: TenantEventLog,
    private readonly tenantId: string,
  ) {}

  readAfter(_userId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    return this.log.readAfter(this.tenantId, after, limit);
  }

  headCursor(): Promise<number> {
    return this.log.headCursor(this.tenantId);
  }

  oldestRetainedCursor(): Promise<number | null> {
    return this.log.oldestRetainedCursor(this.tenantId);
  }
}
