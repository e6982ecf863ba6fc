import type { DomainEvent, StreamFanOut, TransactionScope, UnitOfWork } from '@pushline/domain';
import { InMemoryEventArchive } from './in-memory-event-archive.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemoryNotificationCounter } from './in-memory-notification-counter.js';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store.js';
import { InMemoryNotificationRepository } from './in-memory-notification.repository.js';

/**
 * All-or-nothing over the in-memory stores: one unit runs at a time (as if every unit took the same
 * lock), writes go to the stores directly and are rolled back to a copy when the work throws; events
 * are staged and appended only on success. Committed entries go to `broker` when one is given,
 * as the outbox relay would; ephemeral events go to it too, after commit, and are never stored.
 * Pass an `InMemoryEventStore` built on a catalog of your own to run a test catalog.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  /** Every event committed so far, in commit order. */
  readonly committedEvents: DomainEvent[] = [];
  readonly notificationCounts: InMemoryNotificationCounter;
  /** Every stored event once, as the Prisma outbox writes the `events` table beside the streams. */
  readonly archive = new InMemoryEventArchive();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly notifications = new InMemoryNotificationRepository(),
    readonly events = new InMemoryEventStore(),
    private readonly broker?: StreamFanOut,
    readonly idempotency = new InMemoryIdempotencyStore(),
  ) {
    this.notificationCounts = new InMemoryNotificationCounter(notifications);
  }

  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.runAlone(work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runAlone<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    const rows = new Map(this.notifications.rows);
    const versions = new Map(this.notificationCounts.versions);
    const stagedEvents: DomainEvent[] = [];
    const stagedBatches: { events: readonly DomainEvent[]; recipients?: readonly string[] }[] = [];
    const idempotency = this.idempotency.staged();
    const scope: TransactionScope = {
      notifications: this.notifications,
      notificationCounts: this.notificationCounts,
      events: {
        publish: async (events) => {
          stagedEvents.push(...events);
          stagedBatches.push({ events });
        },
        publishTo: async (recipients, events) => {
          stagedEvents.push(...events);
          stagedBatches.push({ events, recipients });
        },
      },
      idempotency,
    };
    let entries;
    let ephemeral;
    try {
      const result = await work(scope);
      // Route first: it throws on an event outside the catalog, and then nothing may be kept.
      const routed = stagedBatches.map((b) => (b.recipients ? this.events.types.routeTo(b.recipients, b.events) : this.events.types.route(b.events)));
      ephemeral = routed.flatMap((r) => r.ephemeral);
      entries = stagedBatches.flatMap((b) => this.events.append(b.events, b.recipients));
      idempotency.apply();
      this.archive.record(entries);
      this.committedEvents.push(...stagedEvents);
      if (this.broker && entries.length > 0) await this.broker.fanOut(entries);
      // Ephemeral events are never stored; like PrismaUnitOfWork, push them after commit, best effort.
      if (this.broker && ephemeral.length > 0) await this.broker.fanOut(ephemeral).catch(() => undefined);
      return result;
    } catch (error) {
      if (!entries) {
        this.notifications.rows = rows;
        this.notificationCounts.versions = versions;
      }
      throw error;
    }
  }
}
