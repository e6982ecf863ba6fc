import type { DomainEvent, StreamControl, StreamEntry } from '@pushline/domain';

/**
 * Encodes entries as WebSocket text messages, once per entry: every device of a user receives the same
 * entry object from the broker, so the bytes are built for the first device and reused for the rest.
 */
export class WsMessageEncoder {
  private readonly messages = new WeakMap<StreamEntry, Buffer>();
  /** Messages after their `"id"`, for entries whose id differs per device (`resumeId`). */
  private readonly tails = new WeakMap<DomainEvent, Buffer>();
  /** Messages built, for tests: it should equal the entries, not the deliveries. */
  encoded = 0;

  /** `{"id":"<cursor>","type":…,"data":<envelope>}`; the id is a string, as SSE's `id:` is. */
  entry(entry: StreamEntry): Buffer {
    // A device that reads its tenant's stream too gets its own id (`<personal>.<tenant>`); the rest of
    // the message is still built once per event.
    if (entry.resumeId !== undefined) return Buffer.concat([Buffer.from(`{"id":"${entry.resumeId}",`), this.tail(entry.event)]);
    let message = this.messages.get(entry);
    if (!message) {
      // An ephemeral entry has no place in the stream: no id, so it never becomes a resume cursor.
      const id = entry.ephemeral ? '' : `"id":"${entry.cursor}",`;
      message = Buffer.from(`{${id}"type":${JSON.stringify(entry.event.type)},"data":${JSON.stringify(entry.event)}}`);
      this.messages.set(entry, message);
      this.encoded += 1;
    }
    return message;
  }

  private tail(event: DomainEvent): Buffer {
    let tail = this.tails.get(event);
    if (!tail) {
      tail = Buffer.from(`"type":${JSON.stringify(event.type)},"data":${JSON.stringify(event)}}`);
      this.tails.set(event, tail);
      this.encoded += 1;
    }
    return tail;
  }

  /** Control messages carry no `id`, so a client's resume cursor stays on the last real entry. */
  control(control: StreamControl): string {
    return JSON.stringify({ type: control.type, data: control.data });
  }
}
