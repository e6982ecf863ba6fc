import { eventCatalog } from '@pushline/domain';
import type { DeliveryClient, DeliveryConnectOptions } from '@pushline/testing';
import { EventSource } from 'eventsource';
import { MessageRecorder } from './message-recorder.js';
import { streamQuery } from './stream-query.js';

const CONTROL_TYPES = ['stream.reset', 'stream.reauth', 'stream.closed'];

/**
 * A real `eventsource` client behind the transport-neutral DeliveryClient. It does not reconnect: the
 * contract looks at one connection. Reading can be stopped by holding the response body back.
 */
export class SseDeliveryClient extends MessageRecorder implements DeliveryClient {
  private readonly source: EventSource;
  private resumeReading: (() => void) | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(baseUrl: string, options: DeliveryConnectOptions) {
    super();
    this.source = new EventSource(`${baseUrl}/api/v1/stream${streamQuery(options)}`, {
      fetch: async (input, init) => {
        const res = await fetch(input, {
          ...init,
          headers: {
            ...init.headers,
            ...(options.bearer && { Authorization: `Bearer ${options.bearer}` }),
            ...(options.cookie && { Cookie: options.cookie }),
          },
        });
        if (!res.body) return res;
        // Every chunk passes this gate; a closed gate stops pulling, so the socket stops being read.
        const gated = res.body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform: async (chunk, controller) => {
              await this.reading;
              controller.enqueue(chunk);
            },
          }),
        );
        return new Response(gated, { status: res.status, statusText: res.statusText, headers: res.headers });
      },
    });
    for (const type of [...eventCatalog.map((t) => t.name), ...CONTROL_TYPES]) {
      this.source.addEventListener(type, (message) => {
        this.push({ ...(message.lastEventId && !CONTROL_TYPES.includes(type) && { id: message.lastEventId }), type, data: JSON.parse(message.data) as Record<string, unknown> });
      });
    }
    this.source.onopen = () => this.update({ opened: true });
    this.source.onerror = (error) => {
      this.source.close();
      if (error.code !== undefined && !this.opened) this.update({ refusedWith: error.code });
      else this.update({ ended: true });
    };
  }

  stopReading(): () => void {
    this.reading = new Promise((resolve) => (this.resumeReading = resolve));
    return () => this.resumeReading?.();
  }

  close(): void {
    this.resumeReading?.();
    this.source.close();
  }
}
