import type { ServerResponse } from 'node:http';
import type { DeviceSink, StreamCloseReason, StreamControl, StreamEntry } from '@pushline/domain';
import { SSE_HEARTBEAT, type SseFrameEncoder } from './sse-frame-encoder.js';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx and similar proxies buffer responses unless told not to; events would arrive in bursts.
  'X-Accel-Buffering': 'no',
} as const;

/**
 * node:http builds a response's head by concatenation and keeps it (`_header`) as long as the response
 * lives: for a stream, a tree of ~30 V8 cons strings, about 1 KiB per open stream (docs/benchmarks.md
 * §12). Converting it to a number makes V8 flatten it in place into one ~300-byte string; its value
 * is unchanged. A Node version without the field only loses the saving.
 */
function flattenHead(res: ServerResponse): void {
  const head: unknown = (res as unknown as { _header?: unknown })._header;
  if (typeof head === 'string') Number(head);
}

/** Whether a client should reconnect after the server closed its stream for this reason. */
const RECONNECT: Record<StreamCloseReason, boolean> = {
  token_expired: false,
  session_revoked: false,
  slow_consumer: true,
  shutdown: true,
  unavailable: true,
};

/**
 * One SSE response. Headers go out on the first write, so a refusal found before it (device limit,
 * bad cursor) can still be a plain JSON error.
 */
export class SseDeviceSink implements DeviceSink {
  readonly transport = 'sse';
  private headersSent = false;
  private corked = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly encoder: SseFrameEncoder,
    /** Reconnection delay the client is told, in ms (`retry:`). */
    private readonly retryMs: number,
    /** More headers for the head (the API's common ones), written with it rather than set before. */
    private headers?: Readonly<Record<string, string>>,
  ) {}

  /** Sends the headers and the reconnection delay, if nothing was written yet. */
  open(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.res.writeHead(200, this.headers ? { ...this.headers, ...SSE_HEADERS } : SSE_HEADERS);
    this.headers = undefined;
    flattenHead(this.res);
    this.res.write(`retry: ${this.retryMs}\n: connected\n\n`);
  }

  send(entry: StreamEntry): void {
    this.write(this.encoder.entry(entry));
  }

  sendControl(control: StreamControl): void {
    this.write(this.encoder.control(control));
  }

  /**
   * `stream.position` with the position as its `id:`: every EventSource keeps it as Last-Event-ID, and
   * the SDK, which reconnects by itself, reads it like any control. The one control frame with an id.
   */
  markPosition(cursor: number, resumeId = String(cursor)): void {
    this.write(Buffer.from(`event: stream.position\nid: ${resumeId}\ndata: ${JSON.stringify({ position: resumeId })}\n\n`));
  }

  heartbeat(): void {
    this.write(SSE_HEARTBEAT);
  }

  get bufferedBytes(): number {
    return this.res.writableLength;
  }

  whenWritable(): Promise<void> {
    if (!this.res.writableNeedDrain || this.res.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  close(reason: StreamCloseReason): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    if (reason === 'slow_consumer') {
      // Its buffer is full: a goodbye frame would queue behind it. Drop the connection and free the
      // memory now; EventSource reconnects with Last-Event-ID and resumes from the log.
      this.res.destroy();
      return;
    }
    this.open();
    const control: StreamControl = { type: 'stream.closed', data: { reason, reconnect: RECONNECT[reason] } };
    this.res.end(this.encoder.control(control, reason === 'shutdown' ? this.retryMs : undefined));
  }

  private write(chunk: string | Buffer): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.coalesce();
    this.open();
    this.res.write(chunk);
  }

  /**
   * Everything written to this device in one tick (headers, `retry:`, a replayed page) leaves in one
   * socket write instead of one system call per frame.
   */
  private coalesce(): void {
    if (this.corked) return;
    this.corked = true;
    this.res.cork();
    process.nextTick(() => {
      this.corked = false;
      this.res.uncork();
    });
  }
}
