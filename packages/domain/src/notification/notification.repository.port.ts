import type { Notification } from './notification.js';
import type { NotificationPriority } from './notification-fields.js';
import type { NotificationCounts } from './notification-state.js';

export interface NotificationPage {
  readonly items: readonly Notification[];
  /** Pass as `before` to get the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/** List filters on the read state; without one the list holds the inbox (not snoozed, not expired). */
export const NOTIFICATION_STATUS_FILTERS = ['unseen', 'seen', 'unread', 'read', 'clicked', 'snoozed', 'expired'] as const;
export type NotificationStatusFilter = (typeof NOTIFICATION_STATUS_FILTERS)[number];

export interface NotificationListQuery {
  readonly tenantId: string;
  readonly userId: string;
  readonly limit: number;
  /** Opaque cursor from a previous page. */
  readonly before?: string;
  readonly status?: NotificationStatusFilter;
  readonly category?: string;
  readonly priority?: NotificationPriority;
  /** `false` (default): unarchived only; `true`: archived only; `any`: both. */
  readonly archived?: boolean | 'any';
  /** Created at or after. */
  readonly since?: Date;
}

/** Which notifications a bulk change touches: the user's inbox, optionally narrowed. */
export interface BulkFilter {
  readonly category?: string;
  /** Created strictly before. */
  readonly before?: Date;
}

export type BulkChange = 'seen' | 'read' | 'archived';

/**
 * Whose notifications: a user in their tenant. Counts and bulk changes filter on both (user ids are
 * unique across tenants, so the tenant is defence in depth: a wrong pair matches nothing).
 */
export interface NotificationOwner {
  readonly tenantId: string;
  readonly userId: string;
}

export interface NotificationRepository {
  /** Deleted ones too (the caller decides); null when the id is unknown. */
  findById(id: string): Promise<Notification | null>;
  /** Inserts or updates. */
  save(notification: Notification): Promise<void>;
  /** The user's notifications, newest first, never the deleted ones. */
  listByUser(query: NotificationListQuery): Promise<NotificationPage>;
  /** Unseen and unread notifications in the user's inbox (`isInInbox`), without a version. */
  countInInbox(owner: NotificationOwner): Promise<Omit<NotificationCounts, 'version'>>;
  /**
   * Applies one bulk change to every matching notification of the user's inbox that is not in that
   * state yet, with the same rules as the single transitions (read and archive imply seen; archive
   * ends nothing else; expired ones are outside the inbox and untouched). Returns the changed ids.
   */
  changeAll(owner: NotificationOwner, change: BulkChange, filter: BulkFilter, now: Date): Promise<readonly string[]>;
  /**
   * Removes (for good) the user's oldest notifications beyond `cap`: archived ones first, then the
   * oldest of the rest. Returns them as they were (marked deleted at `now`, for the event).
   */
  removeBeyondCap(userId: string, cap: number, now: Date): Promise<readonly Notification[]>;
  /** Notifications due for the expiry worker: past `expiresAt` and not expired, or snoozed until ≤ now. */
  findDue(now: Date, limit: number): Promise<readonly Notification[]>;
}

/**
 * The per-user counter behind the badge's version. Inside a unit of work, `lock` takes the user's
 * counter lock until commit, so one user's state changes run one after another and every count is
 * computed after the previous change committed: counts and versions never disagree.
 */
export interface NotificationCounter {
  /** Locks the user's counter until commit. Call before reading what the change depends on. */
  lock(userId: string): Promise<void>;
  /** Raises the version by one and returns it with the counts as the transaction sees them now. */
  advance(owner: NotificationOwner): Promise<NotificationCounts>;
  /** Counts and version in one consistent read (no lock). */
  current(owner: NotificationOwner): Promise<NotificationCounts>;
}
