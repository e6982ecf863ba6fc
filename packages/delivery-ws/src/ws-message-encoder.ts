import type { StreamControl, StreamEntry } from '@pushline/domain';

/**
 * Encodes entries as WebSocket text messages, once per entry: every device of a user receives the same
 * entry object from the broker, so the bytes are built for the first device and reused for the rest.
 */
export class WsMessageEncoder {
  private readonly messages = new WeakMap<StreamEntry, Buffer>();
  /** Messages built, for tests: it should equal the entries, not the deliveries. */
  encoded = 0;

  /** `{"id":"<cursor>","type":…,"data":<envelope>}`; the id is a string, as SSE's `id:` is. */
  entry(entry: StreamEntry): Buffer {
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

  /** Control messages carry no `id`, so a client's resume cursor stays on the last real entry. */
  control(control: StreamControl): string {
    return JSON.stringify({ type: control.type, data: control.data });
  }
}
