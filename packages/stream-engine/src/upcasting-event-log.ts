import type { EventLog, EventTypeRegistry, StreamEntry } from '@pushline/domain';

/**
 * Any EventLog, with every entry read back brought to its type's current version (the declaration's
 * `upcasters`). Replay and polling read through it, so a device never sees an old payload shape.
 */
export class UpcastingEventLog implements EventLog {
  constructor(
    private readonly inner: EventLog,
    private readonly types: EventTypeRegistry,
  ) {}

  async readAfter(userId: string, after: number, limit: number): Promise<readonly StreamEntry[]> {
    const entries = await this.inner.readAfter(userId, after, limit);
    return entries.map((entry) => {
      const event = this.types.upcast(entry.event);
      return event === entry.event ? entry : { ...entry, event };
    });
  }

  headCursor(userId: string): Promise<number> {
    return this.inner.headCursor(userId);
  }

  oldestRetainedCursor(userId: string): Promise<number | null> {
    return this.inner.oldestRetainedCursor(userId);
  }
}
