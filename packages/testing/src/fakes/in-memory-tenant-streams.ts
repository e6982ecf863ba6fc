import type { DomainEvent, StreamEntry, TenantEventLog } from '@pushline/domain';

/**
 * The tenants' shared broadcast streams in memory, with the database's rules: cursor 1, 2, 3… per
 * tenant, continuing after a trim, never from 1 again. `broadcastsOf` is its assertion helper.
 */
export class InMemoryTenantStreams implements TenantEventLog {
  private readonly streams = new Map<string, StreamEntry[]>();
  private readonly trimmedThrough = new Map<string, number>();
  private readonly heads = new Map<string, number>();

  /** Appends the events to the tenant's stream (one entry each, whatever the tenant's size). */
  append(tenantId: string, events: readonly DomainEvent[]): StreamEntry[] {
    const stream = this.streams.get(tenantId) ?? [];
    const appended = events.map((event) => {
      const cursor = (this.heads.get(tenantId) ?? 0) + 1;
      this.heads.set(tenantId, cursor);
      return { userId: '', tenantStream: tenantId, cursor, event };
    });
    stream.push(...appended);
    this.streams.set(tenantId, stream);
    return appended;
  }

  /** Drops entries up to and including `cursor`, as retention would. */
  trim(tenantId: string, cursor: number): void {
    this.streams.set(tenantId, (this.streams.get(tenantId) ?? []).filter((e) => e.cursor > cursor));
    this.trimmedThrough.set(tenantId, Math.max(cursor, this.trimmedThrough.get(tenantId) ?? 0));
  }

  async readAfter(tenantId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    return (this.streams.get(tenantId) ?? []).filter((e) => e.cursor > after).slice(0, limit);
  }

  async headCursor(tenantId: string): Promise<number> {
    return this.heads.get(tenantId) ?? 0;
  }

  async oldestRetainedCursor(tenantId: string): Promise<number | null> {
    const trimmed = this.trimmedThrough.get(tenantId) ?? 0;
    return trimmed > 0 ? trimmed + 1 : null;
  }

  broadcastsOf(tenantId: string): readonly DomainEvent[] {
    return (this.streams.get(tenantId) ?? []).map((e) => e.event);
  }
}
