import type { DomainEvent } from './domain-event.js';

/**
 * Where use cases put the events they emit. Use cases never know how events travel: in production
 * this is the transactional outbox of the current unit of work; in tests, an in-memory recorder.
 */
export interface EventBus {
  /** Each event goes to the users its catalog type's audience names. */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /**
   * Each event goes to exactly `recipients` (must-deliver), whatever its type: for app-declared types,
   * which are not in the catalog and were validated by the publishing use case.
   */
  publishTo(recipients: readonly string[], events: readonly DomainEvent[]): Promise<void>;
}
