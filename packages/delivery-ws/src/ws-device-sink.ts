import type { DeviceSink, StreamCloseReason, StreamControl, StreamEntry } from '@pushline/domain';
import { WebSocket } from 'ws';
import { WS_CLOSE_CODES, WS_RECONNECT } from './ws-close-codes.js';
import type { WsMessageEncoder } from './ws-message-encoder.js';

/**
 * One WebSocket connection. The upgrade completes on the first message (or when the adapter says the
 * stream is open), so a refusal found before it (device limit, unreadable log) can still be a plain
 * HTTP error response, as with SSE's headers.
 */
export class WsDeviceSink implements DeviceSink {
  readonly transport = 'ws';
  private socket: WebSocket | undefined;
  private gone = false;
  /** Set by every pong; a heartbeat that finds it still cleared ends the connection. */
  private alive = true;
  private unsent = 0;
  private drained: (() => void)[] = [];

  constructor(
    /** Completes the HTTP upgrade; undefined if the client is already gone. */
    private readonly upgrade: () => WebSocket | undefined,
    private readonly encoder: WsMessageEncoder,
  ) {}

  /** The connection, upgrading it first if nothing was sent yet; undefined once it is closing or gone. */
  open(): WebSocket | undefined {
    if (!this.socket && !this.gone) {
      this.socket = this.upgrade();
      if (!this.socket) this.gone = true;
      this.socket?.on('pong', () => (this.alive = true));
      this.socket?.on('close', () => {
        this.gone = true;
        this.release();
      });
    }
    return this.socket?.readyState === WebSocket.OPEN ? this.socket : undefined;
  }

  send(entry: StreamEntry): void {
    this.write(this.encoder.entry(entry));
  }

  sendControl(control: StreamControl): void {
    this.write(this.encoder.control(control));
  }

  /** `stream.position`: where this connection starts, for a client that came without that id. */
  markPosition(cursor: number, resumeId = String(cursor)): void {
    this.sendControl({ type: 'stream.position', data: { position: resumeId } });
  }

  /** Called on the hub's shared heartbeat: pings, and ends a connection that missed the last ping. */
  heartbeat(): void {
    const socket = this.open();
    if (!socket) return;
    if (!this.alive) {
      socket.terminate();
      return;
    }
    this.alive = false;
    socket.ping();
  }

  get bufferedBytes(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  whenWritable(): Promise<void> {
    if (this.unsent === 0 || this.gone) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  close(reason: StreamCloseReason): void {
    if (reason === 'slow_consumer') {
      // Its buffer is full: a goodbye message and close frame would queue behind it. Cut the
      // connection and free the memory now; the client reconnects and resumes from its cursor.
      this.socket?.terminate();
      this.gone = true;
      this.release();
      return;
    }
    const socket = this.open();
    if (!socket) return;
    const control: StreamControl = { type: 'stream.closed', data: { reason, reconnect: WS_RECONNECT[reason] } };
    socket.send(this.encoder.control(control));
    socket.close(WS_CLOSE_CODES[reason], reason);
  }

  private write(message: string | Buffer): void {
    const socket = this.open();
    if (!socket) return;
    this.unsent += 1;
    socket.send(message, { binary: false }, () => {
      this.unsent -= 1;
      if (this.unsent === 0) this.release();
    });
  }

  private release(): void {
    const waiting = this.drained;
    this.drained = [];
    for (const resolve of waiting) resolve();
  }
}
