import type { DomainEvent } from '../events/domain-event.js';
import type { StreamEntry } from './stream-entry.js';

/**
 * Where a use case puts a tenant-wide event (a maintenance notice): one entry in the tenant's shared,
 * durable stream, whatever the tenant's size, read by every device of every user of the tenant beside
 * its own stream. Written in the unit of work's transaction, like `EventBus.publish`.
 */
export interface TenantBroadcastBus {
  broadcast(tenantId: string, events: readonly DomainEvent[]): Promise<void>;
}

/**
 * Read side of the tenants' shared streams: the same rules as a user's `EventLog` (cursor 1, 2, 3… per
 * tenant, gap-free, commit-ordered; retention removes a prefix). Entries carry `tenantStream`.
 */
export interface TenantEventLog {
  /** Entries of the tenant's stream with cursor > `after`, ascending, at most `limit`. */
  readAfter(tenantId: string, after: number, limit: number): Promise<readonly StreamEntry[]>;
  /** Highest cursor of the tenant's stream; 0 when it never had an entry. */
  headCursor(tenantId: string): Promise<number>;
  /** Lowest cursor still retained, or null when retention never removed one. */
  oldestRetainedCursor(tenantId: string): Promise<number | null>;
}
