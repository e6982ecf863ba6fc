// Generated from the event catalog by `npm run docs:events` (packages/devtools). Do not edit: change the declarations in
// packages/domain and regenerate. Narrow `PushlineEvent` on `type`.

/** The CloudEvents 1.0 envelope every event travels in (docs/events.md). */
export interface PushlineEnvelope<TType extends string, TVersion extends number, TData> {
  specversion: '1.0';
  /** Unique per event; drop duplicates by it. */
  id: string;
  source: string;
  type: TType;
  /** Version of the payload shape of `type`. */
  dataversion: TVersion;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  data: TData;
  correlationid?: string;
  causationid?: string;
  deviceid?: string;
}

/** A notification was created for a user; every device of that user shows it. (v1, must-deliver) */
export type NotificationCreatedData = {
  notificationId: string;
  userId: string;
  title: string;
  body: string;
  priority: "low" | "normal" | "high";
  data: {
    [key: string]: unknown;
  } | null;
  createdAt: string;
};
export type NotificationCreatedEvent = PushlineEnvelope<'notification.created', 1, NotificationCreatedData>;

/** A notification was read on one device; the others mark it read too. (v1, must-deliver) */
export type NotificationReadData = {
  notificationId: string;
  userId: string;
  status: "read" | "dismissed" | "clicked";
  changedAt: string;
};
export type NotificationReadEvent = PushlineEnvelope<'notification.read', 1, NotificationReadData>;

/** A notification was dismissed on one device; the others remove it too. (v1, must-deliver) */
export type NotificationDismissedData = {
  notificationId: string;
  userId: string;
  status: "read" | "dismissed" | "clicked";
  changedAt: string;
};
export type NotificationDismissedEvent = PushlineEnvelope<'notification.dismissed', 1, NotificationDismissedData>;

/** A notification was opened (clicked) on one device; the others mark it read. (v1, must-deliver) */
export type NotificationClickedData = {
  notificationId: string;
  userId: string;
  status: "read" | "dismissed" | "clicked";
  changedAt: string;
};
export type NotificationClickedEvent = PushlineEnvelope<'notification.clicked', 1, NotificationClickedData>;

/** The user's number of unread notifications changed (badge). Only the newest value matters: a device that is behind gets just the latest one. (v1, latest-wins) */
export type NotificationUnreadCountData = {
  userId: string;
  unread: number;
  at: string;
};
export type NotificationUnreadCountEvent = PushlineEnvelope<'notification.unread_count', 1, NotificationUnreadCountData>;

/** One of the user's devices started or stopped typing (e.g. a reply); the user's other open devices show it. Live only: never stored or replayed. (v1, ephemeral) */
export type PresenceTypingData = {
  userId: string;
  subject: string;
  typing: boolean;
  at: string;
};
export type PresenceTypingEvent = PushlineEnvelope<'presence.typing', 1, PresenceTypingData>;

/** Every event a stream can carry, discriminated by `type`. */
export type PushlineEvent =
  | NotificationCreatedEvent
  | NotificationReadEvent
  | NotificationDismissedEvent
  | NotificationClickedEvent
  | NotificationUnreadCountEvent
  | PresenceTypingEvent;

export type PushlineEventType = PushlineEvent['type'];

/** The event of one type: `PushlineEventOf<'notification.created'>`. */
export type PushlineEventOf<T extends PushlineEventType> = Extract<PushlineEvent, { type: T }>;

/** How the server treats each type (see docs/events.md). */
export interface PushlineDeliveryPolicies {
  'notification.created': 'must-deliver';
  'notification.read': 'must-deliver';
  'notification.dismissed': 'must-deliver';
  'notification.clicked': 'must-deliver';
  'notification.unread_count': 'latest-wins';
  'presence.typing': 'ephemeral';
}

/** Control messages beside the events (no cursor). */
export type StreamControlMessage =
  | { type: 'stream.reset'; data: {
    reason: "cursor_expired" | "cursor_unknown";
    /** Where the stream continues. */
    cursor: number;
  } }
  | { type: 'stream.reauth'; data: {
    expiresAt: string;
  } }
  | { type: 'stream.closed'; data: {
    reason: "token_expired" | "session_revoked" | "slow_consumer" | "shutdown" | "unavailable";
    reconnect: boolean;
  } };

/** Every catalog type, at run time: the SSE transport listens to each of them. */
export const PUSHLINE_EVENT_TYPES = [
  'notification.created',
  'notification.read',
  'notification.dismissed',
  'notification.clicked',
  'notification.unread_count',
  'presence.typing',
] as const satisfies readonly PushlineEventType[];

/** The control messages, at run time. */
export const STREAM_CONTROL_TYPES = ['stream.reset', 'stream.reauth', 'stream.closed'] as const satisfies readonly StreamControlMessage['type'][];
