/** How many envelope ids are remembered for dedupe; older ones are also below the cursor. */
const SEEN_IDS_KEPT = 2_000;

/**
 * Where a client is in the user's stream: the last cursor and the recently seen envelope ids. Delivery
 * is at-least-once across reconnects and leader hand-overs; `accept` is the one place that drops a
 * duplicate, by cursor (at or below the last one) or by id (for events without a cursor).
 */
export class StreamPosition {
  private readonly seen = new Set<string>();

  constructor(public cursor: number | null = null) {}

  /** True when the event is new (and records it); false for a duplicate. */
  accept(envelopeId: string, cursor: number | null): boolean {
    if (cursor !== null && this.cursor !== null && cursor <= this.cursor) return false;
    if (this.seen.has(envelopeId)) return false;
    this.seen.add(envelopeId);
    if (this.seen.size > SEEN_IDS_KEPT) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    if (cursor !== null) this.cursor = cursor;
    return true;
  }

  /** `stream.reset`: the stream continues from `cursor`, whatever came before. */
  resetTo(cursor: number): void {
    this.cursor = cursor;
  }

  /** A cursor learned from elsewhere (another tab): only ever moves forward. */
  advanceTo(cursor: number | null): void {
    if (cursor !== null && (this.cursor === null || cursor > this.cursor)) this.cursor = cursor;
  }
}
