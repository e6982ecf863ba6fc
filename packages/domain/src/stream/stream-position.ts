import { ValidationError } from '../shared/errors.js';

/**
 * Where a device is in the two streams it reads: its user's own stream and its tenant's shared
 * broadcast stream (see docs/stream-cursor.md). Both are gap-free cursors, 0 = before the first entry.
 */
export interface StreamPosition {
  readonly personal: number;
  readonly tenant: number;
}

/** 15 digits stay below `Number.MAX_SAFE_INTEGER`; no stream comes near 10^15 entries. */
const DIGITS = '\\d{1,15}';
const POSITION = new RegExp(`^(${DIGITS})(?:\\.(${DIGITS}))?$`);

/**
 * The id a device is given with each entry and sends back as `Last-Event-ID`: `<personal>` while its
 * tenant position is 0, `<personal>.<tenant>` after. A plain cursor therefore means tenant position 0,
 * which is exact for every id the server sent and for clients of before the tenant stream existed.
 */
export function formatStreamPosition(position: StreamPosition): string {
  return position.tenant === 0 ? String(position.personal) : `${position.personal}.${position.tenant}`;
}

/**
 * Reads an id as the stream sent it (`Last-Event-ID`, `?lastEventId=`, `?after=`, a WebSocket `ack`):
 * `41` or `41.7`, digits only. Absent or empty is `null`; anything else is a ValidationError naming
 * `field`, the same on every transport.
 */
export function parseStreamPosition(raw: unknown, field: string): StreamPosition | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const match = typeof raw === 'string' ? POSITION.exec(raw) : null;
  if (!match) throw new ValidationError(field, `${field} must be a cursor received from this stream`);
  return { personal: Number(match[1]), tenant: match[2] === undefined ? 0 : Number(match[2]) };
}

/** `parseStreamPosition` for a query parameter, which a client may repeat: one value is the rule. */
export function parseStreamPositionParam(raw: unknown, field: string): StreamPosition | null {
  if (!Array.isArray(raw)) return parseStreamPosition(raw, field);
  if (raw.length > 1) throw new ValidationError(field, `${field} was given ${raw.length} times; send one cursor`);
  return parseStreamPosition(raw[0], field);
}
