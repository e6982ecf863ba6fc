import { expect } from '@jest/globals';
import type { ObservedStream, StreamEndReason, StreamEntry, StreamObserver } from '@pushline/domain';

/** Records what the stream reported, with assertions over it. */
export class RecordingStreamObserver implements StreamObserver {
  readonly opens: ObservedStream[] = [];
  readonly closes: { readonly stream: ObservedStream; readonly reason: StreamEndReason }[] = [];
  readonly publishedEntries: StreamEntry[] = [];
  readonly deliveries: { readonly entry: StreamEntry; readonly transport: string; readonly replayed: boolean }[] = [];

  opened(stream: ObservedStream): void {
    this.opens.push(stream);
  }

  closed(stream: ObservedStream, reason: StreamEndReason): void {
    this.closes.push({ stream, reason });
  }

  published(entries: readonly StreamEntry[]): void {
    this.publishedEntries.push(...entries);
  }

  delivered(entry: StreamEntry, transport: string, replayed: boolean): void {
    this.deliveries.push({ entry, transport, replayed });
  }

  /** Streams opened and not yet closed. */
  get openCount(): number {
    return this.opens.length - this.closes.length;
  }

  assertOpenStreams(expected: number): void {
    expect(this.openCount).toBe(expected);
  }

  assertLastClosedWith(reason: StreamEndReason): void {
    expect(this.closes.at(-1)?.reason).toBe(reason);
  }

  /** Cursors delivered, split into replayed (from the log) and live. */
  assertDelivered(expected: { live: readonly number[]; replayed: readonly number[] }): void {
    expect({
      live: this.deliveries.filter((d) => !d.replayed).map((d) => d.entry.cursor),
      replayed: this.deliveries.filter((d) => d.replayed).map((d) => d.entry.cursor),
    }).toEqual({ live: [...expected.live], replayed: [...expected.replayed] });
  }
}
