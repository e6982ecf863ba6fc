import {
  Notification,
  notificationCreated,
  notificationCreatedPayloadOf,
  notificationUnreadCount,
  ValidationError,
  type Clock,
  type EventFactory,
  type IdGenerator,
  type NotificationData,
  type NotificationPriority,
  type NotificationSnapshot,
  type RequestContext,
  type UnitOfWork,
} from '@pushline/domain';
import { idempotently, type IdempotencyInput } from '../apps/idempotently.js';

/** Most recipients one call may name (the app publish API's `userIds`). */
export const MAX_NOTIFICATION_RECIPIENTS = 1000;

export interface CreateNotificationInput {
  readonly tenantId: string;
  /** One notification per user, all in one transaction; the caller has checked they are of the tenant. */
  readonly userIds: readonly string[];
  readonly title: string;
  readonly body?: string;
  readonly priority?: NotificationPriority;
  readonly data?: NotificationData | null;
  /** A retried request with this key commits nothing new and gets the same notifications back. */
  readonly idempotency?: IdempotencyInput & { readonly scope: string };
}

export interface UnreadCountOptions {
  /** Also emit `notification.unread_count` (latest-wins) with the new count, in the same transaction. */
  readonly emitUnreadCount?: boolean;
}

/** Stores a notification per recipient and emits their `notification.created`, all or nothing. */
export class CreateNotification {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly events: EventFactory,
    private readonly options: UnreadCountOptions = {},
  ) {}

  async execute(input: CreateNotificationInput, context: RequestContext = {}): Promise<readonly NotificationSnapshot[]> {
    const userIds = [...new Set(input.userIds)];
    if (userIds.length === 0) throw new ValidationError('userIds', 'name at least one user');
    if (userIds.length > MAX_NOTIFICATION_RECIPIENTS) {
      throw new ValidationError('userIds', `at most ${MAX_NOTIFICATION_RECIPIENTS} users per call`);
    }
    const now = this.clock.now();
    const tenantContext = { ...context, tenantId: input.tenantId };
    // Built (and validated) before the transaction: a bad title fails before anything is written.
    const notifications = userIds.map((userId) => Notification.create({ ...input, userId, id: this.ids.next(), now }));
    const snapshots = notifications.map((n) => n.toSnapshot());
    const created = snapshots.map((s) => this.events.create(notificationCreated, s.id, notificationCreatedPayloadOf(s), tenantContext));
    const { idempotency } = input;
    return this.unitOfWork.run((tx) =>
      idempotently(
        tx,
        idempotency?.scope ?? '',
        idempotency,
        now,
        async () => {
          for (const notification of notifications) await tx.notifications.save(notification);
          await tx.events.publish(created);
          if (this.options.emitUnreadCount) {
            for (const userId of userIds) {
              const unread = await tx.notifications.countUnread(userId);
              const data = { userId, unread, at: now.toISOString() };
              await tx.events.publish([this.events.create(notificationUnreadCount, userId, data, tenantContext)]);
            }
          }
          return snapshots;
        },
        // A replay answers with the notifications the first request created, as they are now.
        async (stored) => {
          const found = await Promise.all((stored as string[]).map((id) => tx.notifications.findById(id)));
          return found.flatMap((n) => (n ? [n.toSnapshot()] : []));
        },
        (value) => value.map((s) => s.id),
      ),
    );
  }
}
