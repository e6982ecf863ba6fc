import { expect } from '@jest/globals';
import type { DomainEvent, EventBus } from '@pushline/domain';

/** Records what a use case published and asserts on it. */
export class RecordingEventBus implements EventBus {
  readonly published: DomainEvent[] = [];

  /** Recipients given to `publishTo`, per event id. */
  readonly recipientsOf = new Map<string, readonly string[]>();

  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.published.push(...events);
  }

  async publishTo(recipients: readonly string[], events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) this.recipientsOf.set(event.id, recipients);
    this.published.push(...events);
  }

  assertLastPublishedEventIs(type: string, data?: Record<string, unknown>): DomainEvent {
    const last = this.published.at(-1);
    expect(last?.type).toBe(type);
    if (data) expect(last?.data).toMatchObject(data);
    return last as DomainEvent;
  }

  assertNothingPublished(): void {
    expect(this.published).toEqual([]);
  }
}
