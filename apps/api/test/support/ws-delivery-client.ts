import type { DeliveryClient, DeliveryConnectOptions, DeliveredMessage } from '@pushline/testing';
import { WebSocket } from 'ws';
import { MessageRecorder } from './message-recorder.js';
import { streamQuery } from './stream-query.js';

/** `/api/v1/ws?…` for the options, as an app would build it. */
export function wsUrl(baseUrl: string, options: DeliveryConnectOptions): string {
  return `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws${streamQuery(options)}`;
}

/** A real `ws` client, authenticated the way an app (Bearer) or a browser (cookie) would be. */
export class WsDeliveryClient extends MessageRecorder implements DeliveryClient {
  readonly socket: WebSocket;
  closeCode: number | undefined;
  closeReason: string | undefined;
  /** Non-stream replies (`error`, `subscribed`) to the client's own messages. */
  readonly replies: DeliveredMessage[] = [];
  /** Every `stream.position` the server sent (a connection without an id of its own gets one first). */
  readonly positions: string[] = [];

  constructor(baseUrl: string, options: DeliveryConnectOptions, extraHeaders: Record<string, string> = {}) {
    super(() => `close ${String(this.closeCode)} replies ${JSON.stringify(this.replies)}`);
    this.socket = new WebSocket(wsUrl(baseUrl, options), {
      headers: {
        ...extraHeaders,
        ...(options.bearer && { Authorization: `Bearer ${options.bearer}` }),
        ...(options.cookie && { Cookie: options.cookie }),
      },
    });
    this.socket.on('open', () => this.update({ opened: true }));
    this.socket.on('unexpected-response', (_req, res) => {
      res.resume();
      this.update({ refusedWith: res.statusCode });
      this.socket.terminate();
    });
    this.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as DeliveredMessage;
      if (message.type === 'error' || message.type === 'subscribed') {
        this.replies.push(message);
        this.update({});
      } else if (message.type === 'stream.position') {
        // Where the connection starts (a client's resume point), not an entry: kept apart, as the SDK does.
        this.positions.push((message.data as { position: string }).position);
        this.update({});
      } else this.push(message);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.update({ ended: true });
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  stopReading(): () => void {
    this.socket.pause();
    return () => this.socket.resume();
  }

  close(): void {
    this.socket.terminate();
  }
}
