export const NOTIFICATION_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

export const NOTIFICATION_LIMITS = {
  titleMax: 200,
  bodyMax: 1000,
  /** Serialized size of `data` (and of `action.data`), in UTF-8 bytes. */
  dataMaxBytes: 8 * 1024,
  categoryMax: 64,
  sourceMax: 128,
  groupKeyMax: 128,
  actionUrlMax: 2048,
  actionLabelMax: 64,
} as const;

/** Category of a user's own test notification (`POST /api/v1/notifications`). */
export const TEST_CATEGORY = 'test';

export type NotificationData = Record<string, unknown>;

/** What the notification offers to open: a link with a button label, and data for the client. */
export interface NotificationAction {
  readonly url: string;
  readonly label: string;
  readonly data?: NotificationData | null;
}

