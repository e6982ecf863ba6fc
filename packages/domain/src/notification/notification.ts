import { ValidationError } from '../shared/errors.js';

export const NOTIFICATION_STATUSES = ['unread', 'read', 'dismissed', 'clicked'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
/** The statuses a client may set; `unread` is only the initial state. */
export const CHANGEABLE_STATUSES = ['read', 'dismissed', 'clicked'] as const;
export type ChangeableStatus = (typeof CHANGEABLE_STATUSES)[number];

export const NOTIFICATION_PRIORITIES = ['low', 'normal', 'high'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

export const NOTIFICATION_LIMITS = {
  titleMax: 200,
  bodyMax: 1000,
  /** Serialized size of `data`, in UTF-8 bytes. */
  dataMaxBytes: 8 * 1024,
} as const;

export type NotificationData = Record<string, unknown>;

export interface NotificationSnapshot {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly title: string;
  readonly body: string;
  readonly priority: NotificationPriority;
  readonly data: NotificationData | null;
  readonly status: NotificationStatus;
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
  readonly data?: NotificationData | null;
  readonly now: Date;
}

export class Notification {
  private constructor(private state: NotificationSnapshot) {}

  static create(input: NewNotification): Notification {
    const title = input.title.trim();
    const body = input.body ?? '';
    if (title.length === 0) throw new ValidationError('title', 'title must not be empty');
    if (title.length > NOTIFICATION_LIMITS.titleMax) {
      throw new ValidationError('title', `title must be at most ${NOTIFICATION_LIMITS.titleMax} characters`);
    }
    if (body.length > NOTIFICATION_LIMITS.bodyMax) {
      throw new ValidationError('body', `body must be at most ${NOTIFICATION_LIMITS.bodyMax} characters`);
    }
    const data = input.data ?? null;
    if (data !== null && Buffer.byteLength(JSON.stringify(data)) > NOTIFICATION_LIMITS.dataMaxBytes) {
      throw new ValidationError('data', `data must serialize to at most ${NOTIFICATION_LIMITS.dataMaxBytes} bytes`);
    }
    return new Notification({
      id: input.id,
      tenantId: input.tenantId,
      userId: input.userId,
      title,
      body,
      priority: input.priority ?? 'normal',
      data,
      status: 'unread',
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

  get status(): NotificationStatus {
    return this.state.status;
  }

  /** Owned by that user of that tenant: both must match, so a forged user id of another tenant finds nothing. */
  isOwnedBy(userId: string, tenantId: string): boolean {
    return this.state.userId === userId && this.state.tenantId === tenantId;
  }

  /** Returns false when the notification already had that status (nothing changed, nothing to emit). */
  changeStatus(status: ChangeableStatus, now: Date): boolean {
    if (this.state.status === status) return false;
    this.state = { ...this.state, status, updatedAt: now };
    return true;
  }

  toSnapshot(): NotificationSnapshot {
    return this.state;
  }
}
