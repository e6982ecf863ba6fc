import type { StreamControl, StreamEntry } from '@pushline/domain';

/**
 * Encodes entries as SSE frames, once per entry: every device of a user receives the same entry object
 * from the broker, so the bytes are built for the first device and reused for the rest.
 */
export class SseFrameEncoder {
  private readonly frames = new WeakMap<StreamEntry, Buffer>();
  /** Frames built, for the benchmark and tests: it should equal the entries, not the deliveries. */
  encoded = 0;

  entry(entry: StreamEntry): Buffer {
    let frame = this.frames.get(entry);
    if (!frame) {
      // JSON never contains a raw newline, so `data:` is always one line. An ephemeral entry has no
      // place in the stream: without `id:` the client's Last-Event-ID stays on the last stored entry.
      const id = entry.ephemeral ? '' : `id: ${entry.cursor}\n`;
      frame = Buffer.from(`${id}event: ${entry.event.type}\ndata: ${JSON.stringify(entry.event)}\n\n`);
      this.frames.set(entry, frame);
      this.encoded += 1;
    }
    return frame;
  }

  /** Control frames carry no `id:`, so the client's Last-Event-ID stays on the last real entry. */
  control(control: StreamControl, retryMs?: number): string {
    const retry = retryMs === undefined ? '' : `retry: ${retryMs}\n`;
    return `${retry}event: ${control.type}\ndata: ${JSON.stringify(control.data)}\n\n`;
  }
}

export const SSE_HEARTBEAT = ': heartbeat\n\n';
