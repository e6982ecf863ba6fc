import { findEventType, InvalidEventError, type DomainEvent, type EventLog, type StreamEntry } from '@pushline/domain';

/** Per-user streams kept in memory, with the same cursor rules as the database: 1, 2, 3… per user. */
export class InMemoryEventStore implements EventLog {
  private readonly streams = new Map<string, StreamEntry[]>();
  private readonly trimmedThrough = new Map<string, number>();

  /** Appends each event to the stream of every user in its audience. */
  append(events: readonly DomainEvent[]): StreamEntry[] {
    const appended: StreamEntry[] = [];
    // Resolve every audience before writing anything, so an invalid event leaves the store untouched.
    const routed = events.map((event) => ({ event, recipients: recipientsOf(event) }));
    for (const { event, recipients } of routed) {
      for (const userId of recipients) {
        const stream = this.streams.get(userId) ?? [];
        const cursor = (stream.at(-1)?.cursor ?? this.trimmedThrough.get(userId) ?? 0) + 1;
        const entry = { userId, cursor, event };
        stream.push(entry);
        this.streams.set(userId, stream);
        appended.push(entry);
      }
    }
    return appended;
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

  entriesOf(userId: string): readonly StreamEntry[] {
    return this.streams.get(userId) ?? [];
  }
}

function recipientsOf(event: DomainEvent): readonly string[] {
  const type = findEventType(event.type);
  if (!type) throw new InvalidEventError(event.type, 'not in the event catalog');
  return type.audience(event.data);
}
