import { ValidationError } from './errors.js';

/**
 * Keyset cursor of an "oldest first" list (tenants, users, apps): (createdAt, id) of the last item
 * seen, base64url-encoded so clients treat it as opaque and every adapter reads the same cursors.
 */
export interface KeysetCursor {
  readonly createdAt: Date;
  readonly id: string;
}

export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** `field` names the query parameter in the 400 a malformed cursor gets. */
export function decodeKeysetCursor(raw: string, field = 'cursor'): KeysetCursor {
  const [iso, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new ValidationError(field, `${field} is not a valid cursor`);
  return { createdAt, id };
}

/** Oldest-first order: createdAt ascending, then id ascending. */
export function oldestFirst(a: KeysetCursor, b: KeysetCursor): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
