import type { NotificationCounts } from '../rest/api-types.js';

/**
 * The version rule of the badge: counts come from two sides (the REST answer to a change and the
 * `notification.counts` event) in any order; the server's per-user version only grows, so whichever
 * arrives with a version not above the one applied is stale and dropped.
 */
export function newerCounts(current: NotificationCounts | null, next: NotificationCounts): boolean {
  return current === null || next.version > current.version;
}

/** `notification.counts` data, or `counts` inside a REST answer, when well-formed. */
export function countsOf(value: unknown): NotificationCounts | null {
  if (!value || typeof value !== 'object') return null;
  const { unseen, unread, version } = value as Record<string, unknown>;
  return [unseen, unread, version].every((n) => typeof n === 'number' && Number.isFinite(n))
    ? { unseen: unseen as number, unread: unread as number, version: version as number }
    : null;
}
