import type { StreamCloseReason } from './device-sink.port.js';
import type { StreamEntry } from './stream-entry.js';

/** Why a device's stream ended: a reason the server gave, or the client went away (`client_closed`). */
export type StreamEndReason = StreamCloseReason | 'client_closed';

/** The device stream an observer is told about. Never carries a token. */
export interface ObservedStream {
  readonly userId: string;
  readonly deviceId?: string;
  /** Transport label, e.g. `sse` or `ws` (from `DeviceSink.transport`). */
  readonly transport: string;
}

/**
 * Watches the stream's lifecycle and traffic, for metrics and logs. Called on hot paths (once per
 * delivery per device): implementations must be cheap, synchronous and must never throw.
 */
export interface StreamObserver {
  /** A device's stream was registered with the hub. */
  opened(stream: ObservedStream): void;
  /** The stream was removed from the hub; every `opened` is matched by exactly one `closed`. */
  closed(stream: ObservedStream, reason: StreamEndReason): void;
  /** The outbox relay handed these committed entries to the broker (at-least-once: may repeat). */
  published(entries: readonly StreamEntry[]): void;
  /**
   * One entry was written to one device. `replayed` is true when it came from the event log (resume
   * or gap fill) rather than live from the broker.
   */
  delivered(entry: StreamEntry, transport: string, replayed: boolean): void;
}

/** The default: observes nothing. */
export const NO_STREAM_OBSERVER: StreamObserver = {
  opened: () => {},
  closed: () => {},
  published: () => {},
  delivered: () => {},
};
