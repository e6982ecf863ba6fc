/** How many envelope ids are remembered for dedupe; older ones are also below the cursor. */
const SEEN_IDS_KEPT = 2_000;

const ID = /^(\d{1,15})(?:\.(\d{1,15}))?$/;

/**
 * A stream id as the server sends it (`id:`, the WebSocket `id`, a polled page's `id`): `<personal>`,
 * or `<personal>.<tenant>` once the tenant's broadcast stream has entries. Anything else is none.
 */
export function parseStreamId(raw: unknown): { readonly personal: number; readonly tenant: number } | null {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? { personal: raw, tenant: 0 } : null;
  const match = typeof raw === 'string' ? ID.exec(raw) : null;
  return match ? { personal: Number(match[1]), tenant: match[2] === undefined ? 0 : Number(match[2]) } : null;
}

/**
 * Where a client is in its two streams: its user's own (`cursor`) and its tenant's broadcasts
 * (`tenant`), and the recently seen envelope ids. Delivery is at-least-once across reconnects and
 * leader hand-overs; `accept` is the one place that drops a duplicate: an id that moves neither
 * position on (each frame's id is the position after it), or an envelope id seen before (for events
 * without an id).
 */
export class StreamPosition {
  private readonly seen = new Set<string>();
  /** The last cursor of the user's own stream; null before any (live from now). */
  cursor: number | null = null;
  /** The last cursor of the tenant's broadcast stream (0: none yet). */
  tenant = 0;

  /** `start`: a saved id (`41`, `41.7`) or cursor to resume after; null for live from now. */
  constructor(start: number | string | null = null) {
    const parsed = parseStreamId(start);
    if (parsed) {
      this.cursor = parsed.personal;
      this.tenant = parsed.tenant;
    }
  }

  /** The id to resume from (`Last-Event-ID`, `?lastEventId=`, `?after=`), null for live from now. */
  get id(): string | null {
    if (this.cursor === null) return null;
    return this.tenant === 0 ? String(this.cursor) : `${this.cursor}.${this.tenant}`;
  }

  /** True when the event is new (and records it); false for a duplicate. */
  accept(envelopeId: string, id: string | number | null): boolean {
    const at = parseStreamId(id);
    if (at && this.cursor !== null && at.personal <= this.cursor && at.tenant <= this.tenant) return false;
    if (this.seen.has(envelopeId)) return false;
    this.seen.add(envelopeId);
    if (this.seen.size > SEEN_IDS_KEPT) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    if (at) this.moveTo(at);
    return true;
  }

  /** `stream.reset`: that stream (the own one, or the tenant's) continues from `cursor`, whatever came before. */
  resetTo(cursor: number, stream?: 'tenant'): void {
    if (stream === 'tenant') this.tenant = cursor;
    else this.cursor = cursor;
  }

  /** An id learned from elsewhere (another tab): each position only ever moves forward. */
  advanceTo(id: string | number | null): void {
    const at = parseStreamId(id);
    if (at) this.moveTo(at);
  }

  private moveTo(at: { readonly personal: number; readonly tenant: number }): void {
    this.cursor = Math.max(this.cursor ?? 0, at.personal);
    this.tenant = Math.max(this.tenant, at.tenant);
  }
}
