import { ValidationError } from '../shared/errors.js';

/**
 * Keyset cursor for "newest first" pages: (createdAt, id) of the last item seen, base64url-encoded so
 * clients treat it as opaque. Shared by every repository adapter so cursors survive a storage swap.
 */
export interface NotificationCursor {
  readonly createdAt: Date;
  readonly id: string;
}

export function encodeNotificationCursor(cursor: NotificationCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** `field` names the query parameter the cursor came in, for the error. */
export function decodeNotificationCursor(raw: string, field = 'before'): NotificationCursor {
  const [iso, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new ValidationError(field, `${field} is not a valid cursor`);
  return { createdAt, id };
}
