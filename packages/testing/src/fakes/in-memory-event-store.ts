import { defaultEventTypes, type DomainEvent, type EventAudienceLog, type EventLog, type EventTypeRegistry, type StreamEntry } from '@pushline/domain';

/** Per-user streams kept in memory, with the same cursor rules as the database: 1, 2, 3… per user. */
export class InMemoryEventStore implements EventLog, EventAudienceLog {
  private readonly streams = new Map<string, StreamEntry[]>();
  private readonly trimmedThrough = new Map<string, number>();

  /** `types` is the catalog lookup; tests of a catalog of their own pass theirs. */
  constructor(readonly types: EventTypeRegistry = defaultEventTypes) {}

  /**
   * Appends each event to the stream of every user in its audience. Ephemeral events are not stored:
   * use `InMemoryUnitOfWork`, which pushes them live.
   */
  append(events: readonly DomainEvent[], recipients?: readonly string[]): StreamEntry[] {
    const appended: StreamEntry[] = [];
    // Resolve every audience before writing anything, so an invalid event leaves the store untouched.
    const routed = recipients ? this.types.routeTo(recipients, events) : this.types.route(events);
    for (const { userId, event } of routed.stored) {
      const stream = this.streams.get(userId) ?? [];
      const cursor = (stream.at(-1)?.cursor ?? this.trimmedThrough.get(userId) ?? 0) + 1;
      const entry = { userId, cursor, event };
      stream.push(entry);
      this.streams.set(userId, stream);
      appended.push(entry);
    }
    return appended;
  }

  /** Writes an entry as it is, e.g. one stored by an older version of its type. */
  appendRaw(userId: string, event: DomainEvent): StreamEntry {
    const stream = this.streams.get(userId) ?? [];
    const entry = { userId, cursor: (stream.at(-1)?.cursor ?? this.trimmedThrough.get(userId) ?? 0) + 1, event };
    stream.push(entry);
    this.streams.set(userId, stream);
    return entry;
  }

  /** Drops entries up to and including `cursor`, as the retention job would. */
  trim(userId: string, cursor: number): void {
    this.streams.set(userId, (this.streams.get(userId) ?? []).filter((e) => e.cursor > cursor));
    this.trimmedThrough.set(userId, Math.max(cursor, this.trimmedThrough.get(userId) ?? 0));
  }

  async readAfter(userId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    return (this.streams.get(userId) ?? []).filter((e) => e.cursor > after).slice(0, limit);
  }

  async headCursor(userId: string): Promise<number> {
    return this.streams.get(userId)?.at(-1)?.cursor ?? this.trimmedThrough.get(userId) ?? 0;
  }

  async oldestRetainedCursor(userId: string): Promise<number | null> {
    const trimmed = this.trimmedThrough.get(userId) ?? 0;
    return trimmed > 0 ? trimmed + 1 : null;
  }

  async recipientsOf(eventId: string, after: string | undefined, limit: number): Promise<readonly string[]> {
    const users = [...this.streams].filter(([userId, stream]) => (after === undefined || userId > after) && stream.some((e) => e.event.id === eventId)).map(([userId]) => userId);
    return users.sort().slice(0, limit);
  }

  entriesOf(userId: string): readonly StreamEntry[] {
    return this.streams.get(userId) ?? [];
  }
}
