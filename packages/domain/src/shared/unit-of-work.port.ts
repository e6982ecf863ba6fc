import type { EventBus } from '../events/event-bus.port.js';
import type { NotificationCounter, NotificationRepository } from '../notification/notification.repository.port.js';
import type { TenantBroadcastBus } from '../stream/tenant-stream.port.js';
import type { IdempotencyStore } from './idempotency.port.js';

/** The ports a use case may touch inside one transaction. */
export interface TransactionScope {
  readonly notifications: NotificationRepository;
  /** The badge's counter; lock it first in every change of a user's notifications. */
  readonly notificationCounts: NotificationCounter;
  /** Events published here commit (or roll back) together with the state change. */
  readonly events: EventBus;
  /** Idempotency keys of the request, committed with its work. */
  readonly idempotency: IdempotencyStore;
  /** Tenant-wide events: one entry in the tenant's shared stream, committed with the rest. */
  readonly broadcasts: TenantBroadcastBus;
}

/**
 * Runs `work` atomically: either every write and every published event is committed, or none is.
 * This is what makes the outbox transactional.
 */
export interface UnitOfWork {
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}
