import type { StreamEntry } from './stream-entry.js';

/** Why the server ends a device's stream. Sent to the client before the connection closes. */
export type StreamCloseReason =
  /** The access token expired; reconnecting needs a fresh token (`stream.reauth` came first). */
  | 'token_expired'
  /** The session was logged out. Do not reconnect. */
  | 'session_revoked'
  /** The client read too slowly and its send buffer filled up; reconnect and resume from the cursor. */
  | 'slow_consumer'
  /** The server is shutting down; reconnect (to another instance) after the retry hint. */
  | 'shutdown'
  /** The server could not read the stream for a moment; reconnect and resume from the cursor. */
  | 'unavailable';

/** Out-of-band messages to a device, sent as events with their own names beside the domain events. */
export type StreamControl =
  | {
      readonly type: 'stream.reset';
      /** The client's cursor is no longer (or not) in the stream: reload state, then continue from `cursor`. */
      readonly data: {
        readonly reason: 'cursor_expired' | 'cursor_unknown';
        readonly cursor: number;
        /** `tenant` when the tenant's shared stream was cut (`cursor` is then its cursor); absent: the user's own. */
        readonly stream?: 'tenant';
      };
    }
  | { readonly type: 'stream.reauth'; readonly data: { readonly expiresAt: string } }
  /** Where the stream starts for a device that came without that id (a first connection, a reset): its resume point. */
  | { readonly type: 'stream.position'; readonly data: { readonly position: string } }
  | {
      readonly type: 'stream.closed';
      readonly data: { readonly reason: StreamCloseReason; readonly reconnect: boolean };
    };

/**
 * One open connection of a device, as a transport (SSE, WebSocket) implements it. The transport
 * serializes; the application decides what to send and when to give up on a slow reader.
 */
export interface DeviceSink {
  /** Transport label for metrics and logs (`sse`, `ws`); `unknown` when not set. */
  readonly transport?: string;
  send(entry: StreamEntry): void;
  sendControl(control: StreamControl): void;
  /**
   * Tells a device where it starts when that is not an id it already has (it came without one, or its
   * cursor was reset): the id it resumes from if it drops before its first entry, so what commits
   * meanwhile is replayed rather than lost: `stream.position`, which over SSE carries the position as
   * its `id:` too (so EventSource keeps it as Last-Event-ID), and over WebSocket is a control message.
   * Like an entry: the cursor, and the device's own id when it differs (`resumeId`, `<personal>.<tenant>`).
   */
  markPosition?(cursor: number, resumeId?: string): void;
  /** Keeps an idle connection open through proxies (SSE comment, WebSocket ping). */
  heartbeat(): void;
  /** Bytes written but not yet handed to the OS. */
  readonly bufferedBytes: number;
  /** Resolves once the buffer is drained (or the connection is gone). */
  whenWritable(): Promise<void>;
  /** Sends `stream.closed` with the reason, then ends the connection. */
  close(reason: StreamCloseReason): void;
}
