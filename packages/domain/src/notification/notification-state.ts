/**
 * Per-user state of one notification, as timestamps: each is the moment it happened, or null.
 * `status` in the API is derived from these (see `readStatusOf`); nothing stores it twice.
 */
export interface NotificationState {
  /** Shown in a list on some device. */
  readonly seenAt: Date | null;
  readonly readAt: Date | null;
  /** Its action was opened; clicking also reads it. */
  readonly clickedAt: Date | null;
  readonly archivedAt: Date | null;
  /** Hidden from the inbox and the counts until then; the expiry worker clears it when due. */
  readonly snoozedUntil: Date | null;
  /** Set by the expiry worker once `expiresAt` passed; an expired notification cannot be read. */
  readonly expiredAt: Date | null;
  /** Soft delete: every device removes it; the API answers 404 from then on. */
  readonly deletedAt: Date | null;
}

export const EMPTY_STATE: NotificationState = {
  seenAt: null,
  readAt: null,
  clickedAt: null,
  archivedAt: null,
  snoozedUntil: null,
  expiredAt: null,
  deletedAt: null,
};

/** One word for the read state, for lists and for clients written before the timestamps existed. */
export const NOTIFICATION_STATUSES = ['unread', 'read', 'clicked'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export function readStatusOf(state: NotificationState): NotificationStatus {
  if (state.readAt === null) return 'unread';
  return state.clickedAt === null ? 'read' : 'clicked';
}

/** What a state change did; each one is a `notification.<change>` event. */
export const NOTIFICATION_CHANGES = [
  'seen',
  'read',
  'unread',
  'clicked',
  'archived',
  'unarchived',
  'snoozed',
  'unsnoozed',
  'expired',
  'deleted',
] as const;
export type NotificationChange = (typeof NOTIFICATION_CHANGES)[number];

/** The state on the wire: ISO timestamps or null. */
export type NotificationStateJson = { readonly [K in keyof NotificationState]: string | null };

export function stateToJson(state: NotificationState): NotificationStateJson {
  const iso = (d: Date | null) => (d === null ? null : d.toISOString());
  return {
    seenAt: iso(state.seenAt),
    readAt: iso(state.readAt),
    clickedAt: iso(state.clickedAt),
    archivedAt: iso(state.archivedAt),
    snoozedUntil: iso(state.snoozedUntil),
    expiredAt: iso(state.expiredAt),
    deletedAt: iso(state.deletedAt),
  };
}

/** The badge: what a user has not seen / not read among the notifications in the inbox. */
export interface NotificationCounts {
  readonly unseen: number;
  readonly unread: number;
  /** Per user, only grows: the higher of two counts is the newer; drop the other. */
  readonly version: number;
}

/**
 * Whether a notification counts towards the badge (and is listed by default): shown in the app (not
 * made for the outbound channels only), not archived, snoozed, expired or deleted. Every adapter's
 * count and list filters implement exactly this.
 */
export function isInInbox(state: NotificationState & { readonly inApp?: boolean }): boolean {
  return state.inApp !== false && state.archivedAt === null && state.snoozedUntil === null && state.expiredAt === null && state.deletedAt === null;
}
