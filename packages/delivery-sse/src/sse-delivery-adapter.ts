import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeviceSession, OpenStreamRequest, StreamHub } from '@pushline/stream-engine';
import { SseDeviceSink } from './sse-device-sink.js';
import { SseFrameEncoder } from './sse-frame-encoder.js';

export interface SseDeliveryOptions {
  /** Reconnection delay sent to clients in the `retry:` field, in ms. */
  readonly retryMs: number;
}

/**
 * Serves `text/event-stream` responses for the stream hub. Authentication and parsing happen before
 * (in the HTTP layer); this adapter owns only the wire format and the connection's lifetime.
 */
export class SseDeliveryAdapter {
  readonly encoder = new SseFrameEncoder();
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly hub: StreamHub,
    private readonly options: SseDeliveryOptions,
  ) {}

  get connections(): number {
    return this.open.size;
  }

  /**
   * Streams to `res` until either side closes. Rejects, with nothing written, when the hub refuses
   * the device (e.g. the per-user limit), so the caller can answer with a normal error response.
   */
  async stream(req: IncomingMessage, res: ServerResponse, request: OpenStreamRequest, headers?: Readonly<Record<string, string>>): Promise<void> {
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    req.socket.setTimeout(0);
    const sink = new SseDeviceSink(res, this.encoder, this.options.retryMs, headers);
    let session: DeviceSession | undefined;
    let gone = false;
    res.on('close', () => {
      gone = true;
      this.open.delete(res);
      session?.close();
    });
    session = await this.hub.open(request, sink);
    if (gone) {
      session.close();
      return;
    }
    this.open.add(res);
    sink.open();
  }
}
