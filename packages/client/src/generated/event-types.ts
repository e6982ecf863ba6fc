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

/** A notification was created for a user; every device of that user shows it. With `inApp: false` (the user muted in-app for its category) no device receives it: it reaches the handlers (email, web push) and the apps' webhooks only. (v2, must-deliver) */
export type NotificationCreatedData = {
  notificationId: string;
  userId: string;
  title: string;
  body: string;
  priority: "low" | "normal" | "high" | "urgent";
  category: string;
  source: string;
  action: ({
    url: string;
    label: string;
    data?: {
      [key: string]: unknown;
    } | null;
  }) | null;
  data: {
    [key: string]: unknown;
  } | null;
  expiresAt: string | null;
  groupKey: string | null;
  inApp?: false;
  createdAt: string;
};
export type NotificationCreatedEvent = PushlineEnvelope<'notification.created', 2, NotificationCreatedData>;

/** A notification was shown in a list on one device. (v1, must-deliver) */
export type NotificationSeenData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationSeenEvent = PushlineEnvelope<'notification.seen', 1, NotificationSeenData>;

/** A notification was read on one device; the others mark it read too. (v2, must-deliver) */
export type NotificationReadData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationReadEvent = PushlineEnvelope<'notification.read', 2, NotificationReadData>;

/** A notification was marked unread again. (v1, must-deliver) */
export type NotificationUnreadData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationUnreadEvent = PushlineEnvelope<'notification.unread', 1, NotificationUnreadData>;

/** A notification was opened (clicked) on one device; the others mark it read. (v2, must-deliver) */
export type NotificationClickedData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationClickedEvent = PushlineEnvelope<'notification.clicked', 2, NotificationClickedData>;

/** A notification was archived; the others move it out of the inbox. (v1, must-deliver) */
export type NotificationArchivedData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationArchivedEvent = PushlineEnvelope<'notification.archived', 1, NotificationArchivedData>;

/** An archived notification was restored to the inbox, with its state as it was. (v1, must-deliver) */
export type NotificationUnarchivedData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationUnarchivedEvent = PushlineEnvelope<'notification.unarchived', 1, NotificationUnarchivedData>;

/** A notification was snoozed: hidden from the inbox and the counts until `state.snoozedUntil`. (v1, must-deliver) */
export type NotificationSnoozedData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationSnoozedEvent = PushlineEnvelope<'notification.snoozed', 1, NotificationSnoozedData>;

/** A snoozed notification is due (or was woken) and is back in the inbox. (v1, must-deliver) */
export type NotificationUnsnoozedData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationUnsnoozedEvent = PushlineEnvelope<'notification.unsnoozed', 1, NotificationUnsnoozedData>;

/** A notification passed its `expiresAt`; devices remove it, it can no longer be read. (v1, must-deliver) */
export type NotificationExpiredData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationExpiredEvent = PushlineEnvelope<'notification.expired', 1, NotificationExpiredData>;

/** A notification was deleted; every device removes it. (v1, must-deliver) */
export type NotificationDeletedData = {
  notificationId: string;
  userId: string;
  status: "unread" | "read" | "clicked";
  state: {
    seenAt: string | null;
    readAt: string | null;
    clickedAt: string | null;
    archivedAt: string | null;
    snoozedUntil: string | null;
    expiredAt: string | null;
    deletedAt: string | null;
  };
  changedAt: string;
};
export type NotificationDeletedEvent = PushlineEnvelope<'notification.deleted', 1, NotificationDeletedData>;

/** Many notifications were marked seen, read or archived at once (seen-all, read-all, archive-all); `notificationIds` lists them. (v1, must-deliver) */
export type NotificationBulkChangedData = {
  userId: string;
  change: "seen" | "read" | "archived";
  notificationIds: string[];
  changedAt: string;
};
export type NotificationBulkChangedEvent = PushlineEnvelope<'notification.bulk_changed', 1, NotificationBulkChangedData>;

/** The user's badge counts after a change, with a per-user version that only grows; the REST answer to the change carries the same counts. Keep the highest version. (v1, latest-wins) */
export type NotificationCountsData = {
  userId: string;
  unseen: number;
  unread: number;
  version: number;
};
export type NotificationCountsEvent = PushlineEnvelope<'notification.counts', 1, NotificationCountsData>;

/** Legacy, no longer emitted (see `notification.archived`): a notification was dismissed. (v1, must-deliver) */
export type NotificationDismissedData = {
  notificationId: string;
  userId: string;
  status: string;
  changedAt: string;
};
export type NotificationDismissedEvent = PushlineEnvelope<'notification.dismissed', 1, NotificationDismissedData>;

/** Legacy, no longer emitted (see `notification.counts`): the number of unread notifications. (v1, latest-wins) */
export type NotificationUnreadCountData = {
  userId: string;
  unread: number;
  at: string;
};
export type NotificationUnreadCountEvent = PushlineEnvelope<'notification.unread_count', 1, NotificationUnreadCountData>;

/** Maintenance of the store was scheduled. In no user's stream; the operator may broadcast it to the tenant's stream. The `maintenance-scheduled` routing rule notifies every active member of the tenant. (v1, must-deliver) */
export type StoreMaintenanceScheduledData = {
  startsAt: string;
  endsAt?: string;
  message?: string;
};
export type StoreMaintenanceScheduledEvent = PushlineEnvelope<'store.maintenance_scheduled', 1, StoreMaintenanceScheduledData>;

/** An order was handed to the carrier. Not streamed; the `order-shipped` routing rule notifies the customer. (v1, must-deliver) */
export type StoreOrderShippedData = {
  orderId: string;
  userId: string;
  carrier?: string;
  trackingUrl?: string;
};
export type StoreOrderShippedEvent = PushlineEnvelope<'store.order_shipped', 1, StoreOrderShippedData>;

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
  | NotificationSeenEvent
  | NotificationReadEvent
  | NotificationUnreadEvent
  | NotificationClickedEvent
  | NotificationArchivedEvent
  | NotificationUnarchivedEvent
  | NotificationSnoozedEvent
  | NotificationUnsnoozedEvent
  | NotificationExpiredEvent
  | NotificationDeletedEvent
  | NotificationBulkChangedEvent
  | NotificationCountsEvent
  | NotificationDismissedEvent
  | NotificationUnreadCountEvent
  | StoreMaintenanceScheduledEvent
  | StoreOrderShippedEvent
  | PresenceTypingEvent;

export type PushlineEventType = PushlineEvent['type'];

/** The event of one type: `PushlineEventOf<'notification.created'>`. */
export type PushlineEventOf<T extends PushlineEventType> = Extract<PushlineEvent, { type: T }>;

/** How the server treats each type (see docs/events.md). */
export interface PushlineDeliveryPolicies {
  'notification.created': 'must-deliver';
  'notification.seen': 'must-deliver';
  'notification.read': 'must-deliver';
  'notification.unread': 'must-deliver';
  'notification.clicked': 'must-deliver';
  'notification.archived': 'must-deliver';
  'notification.unarchived': 'must-deliver';
  'notification.snoozed': 'must-deliver';
  'notification.unsnoozed': 'must-deliver';
  'notification.expired': 'must-deliver';
  'notification.deleted': 'must-deliver';
  'notification.bulk_changed': 'must-deliver';
  'notification.counts': 'latest-wins';
  'notification.dismissed': 'must-deliver';
  'notification.unread_count': 'latest-wins';
  'store.maintenance_scheduled': 'must-deliver';
  'store.order_shipped': 'must-deliver';
  'presence.typing': 'ephemeral';
}

/** Control messages beside the events (no cursor). */
export type StreamControlMessage =
  | { type: 'stream.reset'; data: {
    reason: "cursor_expired" | "cursor_unknown";
    /** Where the stream continues. */
    cursor: number;
    /** Present when it is the tenant's broadcast stream that was cut; `cursor` is then its cursor. */
    stream?: "tenant";
  } }
  | { type: 'stream.position'; data: {
    /** A position id (`41` or `41.7`), as events carry. */
    position: string;
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
  'notification.seen',
  'notification.read',
  'notification.unread',
  'notification.clicked',
  'notification.archived',
  'notification.unarchived',
  'notification.snoozed',
  'notification.unsnoozed',
  'notification.expired',
  'notification.deleted',
  'notification.bulk_changed',
  'notification.counts',
  'notification.dismissed',
  'notification.unread_count',
  'store.maintenance_scheduled',
  'store.order_shipped',
  'presence.typing',
] as const satisfies readonly PushlineEventType[];

/** The control messages, at run time. */
export const STREAM_CONTROL_TYPES = ['stream.reset', 'stream.position', 'stream.reauth', 'stream.closed'] as const satisfies readonly StreamControlMessage['type'][];
