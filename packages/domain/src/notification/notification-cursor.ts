import { ValidationError } from '../shared/errors.js';

/**
 * Keyset cursor for "newest first" pages: (createdAt, id) of the last item seen, base64url-encoded so
 * clients treat it as opaque. Shared by every repository adapter so cursors survive a storage swap.
 */
export interface NotificationCursor {
  readonly createdAt: Date;
  readonly id: string;
}

const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;
const DECODED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([A-Za-z0-9._:-]{1,64})$/;

export function encodeNotificationCursor(cursor: NotificationCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/**
 * Decodes strictly: only what `encodeNotificationCursor` produces (a four-digit-year ISO instant and
 * an id of safe characters, in canonical base64url) is a cursor. Anything else, a negative year or a
 * NUL included, is a ValidationError, never a query. `field` names the query parameter it came in.
 */
export function decodeNotificationCursor(raw: string, field = 'before'): NotificationCursor {
  const invalid = new ValidationError(field, `${field} must be a cursor returned as nextCursor`);
  if (!BASE64URL.test(raw)) throw invalid;
  const match = DECODED.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match) throw invalid;
  const [, iso = '', id = ''] = match;
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) throw invalid;
  const cursor = { createdAt, id };
  if (encodeNotificationCursor(cursor) !== raw) throw invalid;
  return cursor;
}
