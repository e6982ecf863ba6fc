import { expect } from '@jest/globals';
import type { DeviceSink, StreamCloseReason, StreamControl, StreamEntry } from '@pushline/domain';

/** Everything the application did to the sink, in call order. */
export type SinkCall =
  | { readonly kind: 'entry'; readonly entry: StreamEntry }
  | { readonly kind: 'control'; readonly control: StreamControl }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'position'; readonly resumeId: string }
  | { readonly kind: 'close'; readonly reason: StreamCloseReason };

interface EntryWaiter {
  readonly count: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * A device connection that records what it was sent. Set `bufferedBytes` to play a slow reader, and
 * `holdWrites()` to keep `whenWritable()` pending until `releaseWrites()`. `waitForEntries(n)` lets a
 * test await delivery without sleeping: it resolves from `send()`.
 */
export class RecordingDeviceSink implements DeviceSink {
  readonly calls: SinkCall[] = [];
  readonly entries: StreamEntry[] = [];
  readonly controls: StreamControl[] = [];
  heartbeats = 0;
  /** Every `markPosition` id, in order. */
  readonly positions: string[] = [];
  closedWith: StreamCloseReason | undefined;
  bufferedBytes = 0;
  /** How often the application waited for the buffer to drain. */
  whenWritableCalls = 0;

  private held: { promise: Promise<void>; release: () => void } | undefined;
  private waiters: EntryWaiter[] = [];

  send(entry: StreamEntry): void {
    this.calls.push({ kind: 'entry', entry });
    this.entries.push(entry);
    this.waiters = this.waiters.filter((w) => (this.entries.length >= w.count ? (w.resolve(), false) : true));
  }

  sendControl(control: StreamControl): void {
    this.calls.push({ kind: 'control', control });
    this.controls.push(control);
  }

  markPosition(cursor: number, resumeId = String(cursor)): void {
    this.calls.push({ kind: 'position', resumeId });
    this.positions.push(resumeId);
  }

  heartbeat(): void {
    this.calls.push({ kind: 'heartbeat' });
    this.heartbeats += 1;
  }

  whenWritable(): Promise<void> {
    this.whenWritableCalls += 1;
    return this.held?.promise ?? Promise.resolve();
  }

  close(reason: StreamCloseReason): void {
    this.calls.push({ kind: 'close', reason });
    this.closedWith ??= reason;
    this.releaseWrites();
    for (const w of this.waiters) {
      w.reject(new Error(`sink closed (${reason}) after ${this.entries.length} of ${w.count} entries`));
    }
    this.waiters = [];
  }

  /** Keeps `whenWritable()` pending, as a full socket buffer would. */
  holdWrites(): void {
    if (this.held) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  releaseWrites(): void {
    this.held?.release();
    this.held = undefined;
  }

  /** Resolves once `count` entries in total were sent; rejects if the sink is closed first. */
  waitForEntries(count: number): Promise<void> {
    if (this.entries.length >= count) return Promise.resolve();
    if (this.closedWith) {
      return Promise.reject(new Error(`sink already closed (${this.closedWith}) with ${this.entries.length} entries`));
    }
    return new Promise((resolve, reject) => this.waiters.push({ count, resolve, reject }));
  }

  cursors(): number[] {
    return this.entries.map((e) => e.cursor);
  }

  types(): string[] {
    return this.entries.map((e) => e.event.type);
  }

  eventIds(): string[] {
    return this.entries.map((e) => e.event.id);
  }

  controlTypes(): string[] {
    return this.controls.map((c) => c.type);
  }

  assertOpen(): void {
    expect(this.closedWith).toBeUndefined();
  }

  /** Closed exactly once, with `reason`, and nothing was written after it. */
  assertClosedWith(reason: StreamCloseReason): void {
    expect(this.calls.filter((c) => c.kind === 'close')).toEqual([{ kind: 'close', reason }]);
    expect(this.calls.at(-1)).toEqual({ kind: 'close', reason });
  }

  assertResetWith(reason: 'cursor_expired' | 'cursor_unknown', cursor: number): void {
    expect(this.controls.filter((c) => c.type === 'stream.reset')).toEqual([
      { type: 'stream.reset', data: { reason, cursor } },
    ]);
  }
}
