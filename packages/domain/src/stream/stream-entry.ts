import type { DomainEvent } from '../events/domain-event.js';

/**
 * One event in one user's durable stream. `cursor` is gap-free and only grows per user: it becomes the
 * SSE `id:` that a reconnecting device sends back as `Last-Event-ID`.
 */
export interface StreamEntry {
  readonly userId: string;
  readonly cursor: number;
  readonly event: DomainEvent;
}
