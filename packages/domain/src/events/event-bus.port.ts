import type { DomainEvent } from './domain-event.js';

/**
 * Where use cases put the events they emit. Use cases never know how events travel: in production
 * this is the transactional outbox of the current unit of work; in tests, an in-memory recorder.
 */
export interface EventBus {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
