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
  /** Nesting of `data`: `{"a":1}` is 1 level, `{"a":{"b":1}}` is 2. */
  dataMaxDepth: 8,
  /** Keys and array items of `data`, counted at every level together. */
  dataMaxKeys: 256,
} as const;

export type NotificationData = Record<string, unknown>;

export interface NotificationSnapshot {
  readonly id: string;
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
    if (data !== null) assertDataShape(data);
    if (data !== null && Buffer.byteLength(JSON.stringify(data)) > NOTIFICATION_LIMITS.dataMaxBytes) {
      throw new ValidationError('data', `data must serialize to at most ${NOTIFICATION_LIMITS.dataMaxBytes} bytes`);
    }
    return new Notification({
      id: input.id,
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

  isOwnedBy(userId: string): boolean {
    return this.state.userId === userId;
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

/** Depth and width bounds on `data`, checked before it is serialized, stored or pushed. */
function assertDataShape(data: NotificationData): void {
  let keys = 0;
  const stack: [unknown, number][] = [[data, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > NOTIFICATION_LIMITS.dataMaxDepth) {
      throw new ValidationError('data', `data must be nested at most ${NOTIFICATION_LIMITS.dataMaxDepth} levels deep`);
    }
    const children = Object.values(value);
    keys += children.length;
    if (keys > NOTIFICATION_LIMITS.dataMaxKeys) throw new ValidationError('data', `data must have at most ${NOTIFICATION_LIMITS.dataMaxKeys} keys and items`);
    for (const child of children) stack.push([child, depth + 1]);
  }
}
