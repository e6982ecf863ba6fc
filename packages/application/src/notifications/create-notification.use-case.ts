import {
  Notification,
  notificationCreated,
  notificationCreatedPayloadOf,
  notificationStateEvents,
  notificationStatePayloadOf,
  ValidationError,
  type Clock,
  type EventFactory,
  type IdGenerator,
  type NewNotification,
  type NotificationCounts,
  type NotificationSnapshot,
  type RequestContext,
  type TransactionScope,
  type UnitOfWork,
} from '@pushline/domain';
import { idempotently, type IdempotencyInput } from '../apps/idempotently.js';
import { publishWithCounts } from './notification-changes.js';

/** Most recipients one call may name (the app publish API's `userIds`). */
export const MAX_NOTIFICATION_RECIPIENTS = 1000;

export type CreateNotificationInput = Omit<NewNotification, 'id' | 'now' | 'userId'> & {
  /** One notification per user, all in one transaction; the caller has checked they are of the tenant. */
  readonly userIds: readonly string[];
  /**
   * A fixed id (one recipient only) makes the create idempotent (event handlers derive it from the
   * event): when a notification with this id exists, nothing is written or emitted and it is returned as it is.
   */
  readonly id?: string;
  /** Fixed ids for many recipients (a routing rule's page of a tenant): idempotent like `id`, per user. */
  readonly idOf?: (userId: string) => string;
  /**
   * Per recipient, whether it is shown in the app (default: all are). False: the user muted `in_app`
   * for the category but not another channel; the notification is stored for email, web push and the
   * webhook only, and nothing reaches the user's devices or badge.
   */
  readonly shownInApp?: (userId: string) => boolean;
  /** A retried request with this key commits nothing new and gets the same notifications back. */
  readonly idempotency?: IdempotencyInput & { readonly scope: string };
};

export interface CreateNotificationOptions {
  /** Notifications kept per user; beyond it the oldest archived, then the oldest, are removed. Default 1000. */
  readonly maxPerUser?: number;
}

export const DEFAULT_MAX_NOTIFICATIONS_PER_USER = 1000;

/** The stored notification and its user's badge after it (the REST answer carries both). */
export type CreatedNotification = NotificationSnapshot & { readonly counts: NotificationCounts };

/**
 * Stores a notification per recipient and emits, per recipient, `notification.created` and
 * `notification.counts`, all in one transaction (all or nothing); notifications pushed out by the
 * per-user cap are deleted (`notification.deleted`). A channel-only one (`shownInApp` false) emits
 * `notification.created` with `inApp: false`, which no device receives, and no counts.
 */
export class CreateNotification {
  private readonly maxPerUser: number;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly events: EventFactory,
    options: CreateNotificationOptions = {},
  ) {
    this.maxPerUser = options.maxPerUser ?? DEFAULT_MAX_NOTIFICATIONS_PER_USER;
  }

  async execute(input: CreateNotificationInput, context: RequestContext = {}): Promise<readonly CreatedNotification[]> {
    // Sorted, so two calls naming the same users take their counter locks in the same order.
    const userIds = [...new Set(input.userIds)].sort();
    if (userIds.length === 0) throw new ValidationError('userIds', 'name at least one user');
    if (userIds.length > MAX_NOTIFICATION_RECIPIENTS) {
      throw new ValidationError('userIds', `at most ${MAX_NOTIFICATION_RECIPIENTS} users per call`);
    }
    if (input.id !== undefined && userIds.length > 1) throw new ValidationError('id', 'a fixed id names one notification: give one user');
    const now = this.clock.now();
    const tenantContext = { ...context, tenantId: input.tenantId };
    const { userIds: _recipients, idempotency, idOf, shownInApp, ...fields } = input;
    const fixedIds = input.id !== undefined || idOf !== undefined;
    // Built (and validated) before the transaction: a bad title fails before anything is written.
    const notifications = userIds.map((userId) =>
      Notification.create({ ...fields, userId, id: input.id ?? idOf?.(userId) ?? this.ids.next(), inApp: shownInApp?.(userId) ?? true, now }),
    );
    return this.unitOfWork.run((tx) =>
      idempotently(
        tx,
        idempotency?.scope ?? '',
        input.tenantId,
        idempotency,
        now,
        async () => {
          const created: CreatedNotification[] = [];
          for (const notification of notifications) created.push(await this.createOne(tx, notification, fixedIds, now, tenantContext));
          return created;
        },
        // A replay answers with the notifications the first request created, as they are now.
        async (stored) => {
          const found = await Promise.all((stored as string[]).map((id) => tx.notifications.findById(id)));
          return Promise.all(
            found.flatMap((n) => (n ? [n.toSnapshot()] : [])).map(async (s) => ({ ...s, counts: await tx.notificationCounts.current(ownerOf(s)) })),
          );
        },
        (value) => value.map((s) => s.id),
      ),
    );
  }

  private async createOne(tx: TransactionScope, notification: Notification, fixedId: boolean, now: Date, context: RequestContext): Promise<CreatedNotification> {
    const snapshot = notification.toSnapshot();
    await tx.notificationCounts.lock(snapshot.userId);
    const existing = fixedId ? await tx.notifications.findById(snapshot.id) : null;
    if (existing) {
      const kept = existing.toSnapshot();
      return { ...kept, counts: await tx.notificationCounts.current(ownerOf(kept)) };
    }
    await tx.notifications.save(notification);
    const removed = await tx.notifications.removeBeyondCap(snapshot.userId, this.maxPerUser, now);
    const created = this.events.create(notificationCreated, snapshot.id, notificationCreatedPayloadOf(snapshot), context);
    // Devices learn only of what they showed: a channel-only notification, created or removed, changes neither list nor badge.
    const deleted = removed
      .filter((n) => n.toSnapshot().inApp)
      .map((n) => this.events.create(notificationStateEvents.deleted, n.id, notificationStatePayloadOf(n.toSnapshot(), now), context));
    if (!snapshot.inApp) await tx.events.publish([created]);
    const counts = await publishWithCounts(tx, this.events, ownerOf(snapshot), snapshot.inApp ? [created, ...deleted] : deleted, context);
    return { ...snapshot, counts };
  }
}

function ownerOf(s: { readonly tenantId: string; readonly userId: string }): { tenantId: string; userId: string } {
  return { tenantId: s.tenantId, userId: s.userId };
}
