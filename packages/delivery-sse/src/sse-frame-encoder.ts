import type { DomainEvent, StreamControl, StreamEntry } from '@pushline/domain';

/**
 * Encodes entries as SSE frames, once per entry: every device of a user receives the same entry object
 * from the broker, so the bytes are built for the first device and reused for the rest.
 */
export class SseFrameEncoder {
  private readonly frames = new WeakMap<StreamEntry, Buffer>();
  /** Frames without their `id:` line, for entries whose id differs per device (`resumeId`). */
  private readonly bodies = new WeakMap<DomainEvent, Buffer>();
  /** Frames built, for the benchmark and tests: it should equal the entries, not the deliveries. */
  encoded = 0;

  entry(entry: StreamEntry): Buffer {
    // A device that reads its tenant's stream too gets its own `id:` (`<personal>.<tenant>`); the rest
    // of the frame is still built once per event.
    if (entry.resumeId !== undefined) return Buffer.concat([Buffer.from(`id: ${entry.resumeId}\n`), this.body(entry.event)]);
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

  private body(event: DomainEvent): Buffer {
    let body = this.bodies.get(event);
    if (!body) {
      body = Buffer.from(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      this.bodies.set(event, body);
      this.encoded += 1;
    }
    return body;
  }

  /** Control frames carry no `id:`, so the client's Last-Event-ID stays on the last real entry. */
  control(control: StreamControl, retryMs?: number): string {
    const retry = retryMs === undefined ? '' : `retry: ${retryMs}\n`;
    return `${retry}event: ${control.type}\ndata: ${JSON.stringify(control.data)}\n\n`;
  }
}

export const SSE_HEARTBEAT = ': heartbeat\n\n';
