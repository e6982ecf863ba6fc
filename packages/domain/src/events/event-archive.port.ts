import type { Page } from '../tenant/tenant.repository.port.js';
import type { DomainEvent } from './domain-event.js';

/** Filters of an event query; every one given must match. */
export interface EventQuery {
  readonly tenantId?: string;
  readonly appId?: string;
  /** Events that went to this user's stream. */
  readonly userId?: string;
  readonly type?: string;
  /** Inclusive lower and exclusive upper bound of the event's `time`. */
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  /** `nextCursor` of the previous page (newest first). */
  readonly cursor?: string;
}

export interface EventCountQuery {
  readonly from: Date;
  readonly to: Date;
  readonly bucket: 'hour' | 'day';
  readonly type?: string;
  readonly tenantId?: string;
  readonly appId?: string;
}

export interface EventCountBucket {
  readonly start: Date;
  readonly type: string;
  readonly count: number;
}

/** Every stored event once (not once per recipient), for the operator's and the apps' event APIs. */
export interface EventArchive {
  /** Newest first. */
  query(query: EventQuery): Promise<Page<DomainEvent>>;
  /** Counts per type per UTC hour or day, oldest bucket first; empty buckets are left out. */
  count(query: EventCountQuery): Promise<readonly EventCountBucket[]>;
  findByIds(ids: readonly string[]): Promise<readonly DomainEvent[]>;
  /** Users whose streams hold the event (replay sends a copy to each). */
  recipientsOf(eventId: string): Promise<readonly string[]>;
  /** The tenant whose shared stream holds the event (a broadcast: replay appends a copy there), or null. */
  broadcastTenantOf(eventId: string): Promise<string | null>;
}
