import { ConflictError, ValidationError } from '../shared/errors.js';
import {
  EMPTY_STATE,
  readStatusOf,
  stateToJson,
  type NotificationChange,
  type NotificationState,
  type NotificationStatus,
} from './notification-state.js';
import type { NotificationAction, NotificationData, NotificationPriority } from './notification-fields.js';
import { validateNewNotification } from './notification-validation.js';

export * from './notification-state.js';

export * from './notification-fields.js';

export interface NotificationSnapshot extends NotificationState {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly title: string;
  readonly body: string;
  readonly priority: NotificationPriority;
  /** The routing rule or app category that produced it; preferences are per category. */
  readonly category: string;
  /** Who produced it: `user`, `rule:<name>`, `app:<id>`, `module:<name>`. */
  readonly source: string;
  readonly action: NotificationAction | null;
  readonly data: NotificationData | null;
  readonly expiresAt: Date | null;
  /** Notifications sharing a key are about one thing (a thread, an order); clients may stack them. */
  readonly groupKey: string | null;
  /**
   * False when it was made for the outbound channels only: the user muted `in_app` for its category
   * but not email, web push or the webhook. Such a notification is never listed, counted, streamed or
   * changed by the user; it exists so the channel worker renders the message from the stored row.
   */
  readonly inApp: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewNotification {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly title: string;
  readonly body?: string;
  readonly priority?: NotificationPriority;
  readonly category?: string;
  readonly source?: string;
  readonly action?: NotificationAction | null;
  readonly data?: NotificationData | null;
  readonly expiresAt?: Date | null;
  readonly groupKey?: string | null;
  /** Default true; false: for the outbound channels only (see `NotificationSnapshot.inApp`). */
  readonly inApp?: boolean;
  readonly now: Date;
}

/**
 * A notification and its per-user state. The transitions are the domain's rules: each returns the
 * change it made (null when there was nothing to change, so nothing is emitted) or throws a
 * ConflictError carrying the current state when the state forbids it.
 */
export class Notification {
  private constructor(private state: NotificationSnapshot) {}

  static create(input: NewNotification): Notification {
    const valid = validateNewNotification(input);
    return new Notification({
      id: input.id,
      tenantId: input.tenantId,
      userId: input.userId,
      ...valid,
      ...EMPTY_STATE,
      inApp: input.inApp ?? true,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(snapshot: NotificationSnapshot): Notification {
    return new Notification(snapshot);
  }

  get id(): string {
    return this.state.id;
  }

  get userId(): string {
    return this.state.userId;
  }

  get tenantId(): string {
    return this.state.tenantId;
  }

  get status(): NotificationStatus {
    return readStatusOf(this.state);
  }

  /** Owned by that user of that tenant: both must match, so a forged user id of another tenant finds nothing. */
  isOwnedBy(userId: string, tenantId: string): boolean {
    return this.state.userId === userId && this.state.tenantId === tenantId;
  }

  /**
   * What the user's own routes may read or change: theirs, not deleted, and shown in the app. Anything
   * else is "not found", so ids of others (and channel-only notifications) cannot be probed.
   */
  isVisibleTo(userId: string, tenantId: string): boolean {
    return this.isOwnedBy(userId, tenantId) && !this.isDeleted() && this.state.inApp;
  }

  isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  /** Expired once marked, or once `expiresAt` has passed even before the worker marked it. */
  isExpired(now: Date): boolean {
    return this.state.expiredAt !== null || (this.state.expiresAt !== null && this.state.expiresAt <= now);
  }

  markSeen(now: Date): NotificationChange | null {
    this.refuseWhenExpired('seen', now);
    if (this.state.seenAt) return null;
    return this.set({ seenAt: now }, now, 'seen');
  }

  markRead(now: Date): NotificationChange | null {
    this.refuseWhenExpired('read', now);
    if (this.state.readAt) return null;
    return this.set({ readAt: now, seenAt: this.state.seenAt ?? now }, now, 'read');
  }

  markUnread(now: Date): NotificationChange | null {
    this.refuseWhenExpired('marked unread', now);
    if (!this.state.readAt) return null;
    return this.set({ readAt: null }, now, 'unread');
  }

  /** Opening the action reads it too. */
  click(now: Date): NotificationChange | null {
    this.refuseWhenExpired('clicked', now);
    if (this.state.clickedAt && this.state.readAt) return null;
    return this.set({ clickedAt: this.state.clickedAt ?? now, readAt: this.state.readAt ?? now, seenAt: this.state.seenAt ?? now }, now, 'clicked');
  }

  /** Archiving implies seen and ends a snooze; unarchiving restores the rest of the state as it was. */
  archive(now: Date): NotificationChange | null {
    if (this.state.archivedAt) return null;
    return this.set({ archivedAt: now, seenAt: this.state.seenAt ?? now, snoozedUntil: null }, now, 'archived');
  }

  unarchive(now: Date): NotificationChange | null {
    if (!this.state.archivedAt) return null;
    return this.set({ archivedAt: null }, now, 'unarchived');
  }

  /** Hides it until `until` (in the future); null wakes it now. */
  snooze(until: Date | null, now: Date): NotificationChange | null {
    if (until === null) {
      if (!this.state.snoozedUntil) return null;
      return this.set({ snoozedUntil: null }, now, 'unsnoozed');
    }
    this.refuseWhenExpired('snoozed', now);
    if (until <= now) throw new ValidationError('snoozedUntil', 'snoozedUntil must be in the future');
    if (this.state.archivedAt) throw this.conflict('an archived notification cannot be snoozed');
    if (this.state.snoozedUntil?.getTime() === until.getTime()) return null;
    return this.set({ snoozedUntil: until }, now, 'snoozed');
  }

  expire(now: Date): NotificationChange | null {
    if (this.state.expiredAt || this.state.deletedAt) return null;
    return this.set({ expiredAt: now, snoozedUntil: null }, now, 'expired');
  }

  softDelete(now: Date): NotificationChange | null {
    if (this.state.deletedAt) return null;
    return this.set({ deletedAt: now }, now, 'deleted');
  }

  toSnapshot(): NotificationSnapshot {
    return this.state;
  }

  private set(patch: Partial<NotificationState>, now: Date, change: NotificationChange): NotificationChange {
    this.state = { ...this.state, ...patch, updatedAt: now };
    return change;
  }

  private refuseWhenExpired(what: string, now: Date): void {
    if (this.isExpired(now)) throw this.conflict(`an expired notification cannot be ${what}`);
  }

  private conflict(message: string): ConflictError {
    return new ConflictError(message, { current: { id: this.state.id, status: this.status, ...stateToJson(this.state) } });
  }
}

/** Depth and width bounds on `data`, checked before it is serialized, stored or pushed. */
