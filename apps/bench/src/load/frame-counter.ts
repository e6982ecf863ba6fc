/**
 * Counts SSE frames on a raw byte stream without parsing them: a frame is an `id:N` line. The id's
 * digits are read so gaps and duplicates can be told (every target numbers each user's frames 1, 2, 3 …).
 * A probe connection additionally reads the `"t":` send timestamp that the publisher put in the payload.
 */
export class SseFrameCounter {
  frames = 0;
  gaps = 0;
  duplicates = 0;
  lastId = 0;
  private carry = '';

  private readonly uncountedLine: string | undefined;

  /**
   * `uncountedEvent`: frames of this event type (the line after their `id:` is `event: <type>`) keep
   * the id sequence but are not counted as deliveries: Pushline's `notification.counts` follows every
   * created notification, and counting it would let half the notifications go missing unnoticed.
   */
  constructor(
    private readonly onStamp?: (sentAt: number) => void,
    uncountedEvent?: string,
  ) {
    this.uncountedLine = uncountedEvent === undefined ? undefined : `event: ${uncountedEvent}\n`;
  }

  /**
   * A new connection's body begins: what was left of the last one's (a line cut off when it dropped)
   * must not be read as the start of this one's.
   */
  startConnection(): void {
    this.carry = '';
  }

  /** Feeds the body bytes (after the response head) of one connection. */
  feed(chunk: Buffer): void {
    // latin1 is a 1:1 byte copy, far cheaper than utf8 decoding; the fields read here are ASCII.
    const text = this.carry + chunk.toString('latin1');
    // `id:` with or without the optional space (better-sse writes `id:1`).
    let at = text.indexOf('id:');
    let consumed = 0;
    while (at !== -1) {
      const end = text.indexOf('\n', at);
      if (end === -1) break;
      if (at === 0 || text.charCodeAt(at - 1) === 10) {
        // Telling an uncounted frame needs the line after the id's: wait for it.
        if (this.uncountedLine !== undefined && text.indexOf('\n', end + 1) === -1) {
          this.carry = text.slice(Math.max(0, at - 1));
          return;
        }
        this.count(Number(text.slice(at + 3, end)), text, at, end);
      }
      consumed = end;
      at = text.indexOf('id:', end);
    }
    // Keep a tail that may hold the start of a split `id:` line (and, on probes, its payload).
    const tailFrom = Math.max(consumed, text.length - (this.onStamp ? 4096 : 32));
    this.carry = text.slice(tailFrom);
    if (this.onStamp === undefined && this.carry.indexOf('\n') !== -1) this.carry = this.carry.slice(this.carry.lastIndexOf('\n'));
  }

  private count(id: number, text: string, lineStart: number, lineEnd: number): void {
    if (this.uncountedLine === undefined || !text.startsWith(this.uncountedLine, lineEnd + 1)) this.frames += 1;
    if (id > 0) {
      if (this.lastId > 0 && id > this.lastId + 1) this.gaps += id - this.lastId - 1;
      else if (id <= this.lastId) this.duplicates += 1;
      this.lastId = Math.max(this.lastId, id);
    }
    if (this.onStamp) {
      // The stamp is in this frame's data, before or after its id line.
      const frameStart = Math.max(0, text.lastIndexOf('\n\n', lineStart));
      const frameEnd = text.indexOf('\n\n', lineEnd);
      const stamp = text.indexOf('"t":', frameStart);
      if (stamp !== -1 && (frameEnd === -1 || stamp < frameEnd)) this.onStamp(parseFloat(text.slice(stamp + 4, stamp + 30)));
    }
  }
}

/** Counts socket.io event packets (`42[…]`) in WebSocket text messages; probes read the stamp too. */
export function countEngineIoMessage(message: string, onStamp?: (sentAt: number) => void): number {
  if (!message.startsWith('42')) return 0;
  if (onStamp) {
    const stamp = message.indexOf('"t":');
    if (stamp !== -1) onStamp(parseFloat(message.slice(stamp + 4, stamp + 30)));
  }
  return 1;
}
