import { ValidationError } from '../shared/errors.js';

/** Why a client's cursor cannot be resumed from as is. */
export type ResumeProblem = 'cursor_expired' | 'cursor_unknown';

/**
 * Whether a stream can continue right after `cursor`: not when retention removed entries after it
 * (the oldest retained is further on), nor when the cursor is ahead of the stream's head (it came
 * from elsewhere). Either way the client must reload state, and is told so (`stream.reset`).
 */
export function resumeProblemOf(cursor: number, headCursor: number, oldestRetainedCursor: number | null): ResumeProblem | null {
  if (oldestRetainedCursor !== null && cursor < oldestRetainedCursor - 1) return 'cursor_expired';
  if (cursor > headCursor) return 'cursor_unknown';
  return null;
}

/**
 * The most digits a cursor may have. 15 digits stay below `Number.MAX_SAFE_INTEGER`, so every cursor
 * is exact as a number; no stream comes near 10^15 entries.
 */
const MAX_CURSOR_DIGITS = 15;
const CURSOR = new RegExp(`^\\d{1,${MAX_CURSOR_DIGITS}}$`);

/**
 * A cursor as a client sends it back (`Last-Event-ID`, `?lastEventId=`, `?after=`, a WebSocket
 * `ack`): digits only, as the stream sent it. Absent or empty means none (`null`); anything else
 * (a sign, a fraction, an exponent, spaces, too many digits, not a string) is a ValidationError
 * naming `field`, the same on every transport.
 */
export function parseCursor(raw: unknown, field: string): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string' || !CURSOR.test(raw)) throw new ValidationError(field, `${field} must be a cursor received from this stream`);
  return Number(raw);
}

/**
 * `parseCursor` for a query parameter, which a client may repeat (`?after=1&after=2` arrives as an
 * array): one value is the rule, since there is no right one to pick from several.
 */
export function parseCursorParam(raw: unknown, field: string): number | null {
  if (!Array.isArray(raw)) return parseCursor(raw, field);
  if (raw.length > 1) throw new ValidationError(field, `${field} was given ${raw.length} times; send one cursor`);
  return parseCursor(raw[0], field);
}
