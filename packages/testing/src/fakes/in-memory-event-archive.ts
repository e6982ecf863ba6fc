import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  oldestFirst,
  type DomainEvent,
  type EventArchive,
  type EventCountBucket,
  type EventCountQuery,
  type EventQuery,
  type Page,
  type StreamEntry,
} from '@pushline/domain';

interface Archived {
  readonly event: DomainEvent;
  readonly createdAt: Date;
  readonly id: string;
  readonly recipients: Set<string>;
  /** The tenant whose shared stream holds it (a broadcast). */
  broadcastTenant?: string;
}

/** Every stored event once, with the users whose streams hold it; `InMemoryUnitOfWork` records its commits here. */
export class InMemoryEventArchive implements EventArchive {
  private readonly events = new Map<string, Archived>();
  /** Each user's tenant, as the users table gives it to the query by `userId` (broadcasts). */
  private readonly tenantOfUser = new Map<string, string>();

  /** Archives the events of committed stream entries (an event to many users is kept once). */
  record(entries: readonly Pick<StreamEntry, 'userId' | 'event' | 'tenantStream'>[]): void {
    for (const { userId, event, tenantStream } of entries) {
      const archived = this.events.get(event.id) ?? { event, createdAt: new Date(event.time), id: event.id, recipients: new Set<string>() };
      if (tenantStream !== undefined) archived.broadcastTenant = tenantStream;
      else archived.recipients.add(userId);
      this.events.set(event.id, archived);
    }
  }

  /** Makes `userId` a member of `tenantId`: the tenant's broadcasts are then among the user's events. */
  addMember(userId: string, tenantId: string): void {
    this.tenantOfUser.set(userId, tenantId);
  }

  private received(a: Archived, userId: string): boolean {
    return a.recipients.has(userId) || (a.broadcastTenant !== undefined && this.tenantOfUser.get(userId) === a.broadcastTenant);
  }

  async query(q: EventQuery): Promise<Page<DomainEvent>> {
    const cursor = q.cursor ? decodeKeysetCursor(q.cursor) : null;
    const rows = this.matching(q)
      .filter((a) => (q.userId === undefined || this.received(a, q.userId)) && (!cursor || oldestFirst(a, cursor) < 0))
      .sort((a, b) => oldestFirst(b, a));
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map((a) => a.event), nextCursor: rows.length > q.limit && last ? encodeKeysetCursor(last) : null };
  }

  async count(q: EventCountQuery): Promise<readonly EventCountBucket[]> {
    const buckets = new Map<string, { start: Date; type: string; count: number }>();
    for (const a of this.matching(q)) {
      const start = truncate(a.createdAt, q.bucket);
      const key = `${start.toISOString()} ${a.event.type}`;
      const bucket = buckets.get(key) ?? { start, type: a.event.type, count: 0 };
      bucket.count += 1;
      buckets.set(key, bucket);
    }
    return [...buckets.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }

  async findByIds(ids: readonly string[]): Promise<readonly DomainEvent[]> {
    return ids
      .flatMap((id) => this.events.get(id) ?? [])
      .filter((a, i, all) => all.indexOf(a) === i)
      .sort(oldestFirst)
      .map((a) => a.event);
  }

  async recipientsOf(eventId: string): Promise<readonly string[]> {
    return [...(this.events.get(eventId)?.recipients ?? [])].sort();
  }

  async broadcastTenantOf(eventId: string): Promise<string | null> {
    return this.events.get(eventId)?.broadcastTenant ?? null;
  }

  private matching(q: Omit<Partial<EventQuery>, 'limit'>): Archived[] {
    return [...this.events.values()].filter(
      ({ event, createdAt }) =>
        (q.tenantId === undefined || event.tenantid === q.tenantId) &&
        (q.appId === undefined || event.appid === q.appId) &&
        (q.type === undefined || event.type === q.type) &&
        (q.from === undefined || createdAt >= q.from) &&
        (q.to === undefined || createdAt < q.to),
    );
  }
}

function truncate(at: Date, bucket: 'hour' | 'day'): Date {
  const d = new Date(at);
  d.setUTCMinutes(0, 0, 0);
  if (bucket === 'day') d.setUTCHours(0);
  return d;
}
