import type {
  DomainEvent,
  Notification,
  StreamFanOut,
  TransactionScope,
  UnitOfWork,
} from '@pushline/domain';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store.js';
import { InMemoryNotificationRepository } from './in-memory-notification.repository.js';

/**
 * All-or-nothing over the in-memory stores: writes and events are staged and applied only when the
 * work resolves. Committed entries go to `broker` when one is given, as the outbox relay would;
 * ephemeral events go to it too, after commit, and are never stored. Pass an `InMemoryEventStore`
 * built on a catalog of your own to run a test catalog.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  /** Every event committed so far, in commit order. */
  readonly committedEvents: DomainEvent[] = [];

  constructor(
    readonly notifications = new InMemoryNotificationRepository(),
    readonly events = new InMemoryEventStore(),
    private readonly broker?: StreamFanOut,
    readonly idempotency = new InMemoryIdempotencyStore(),
  ) {}

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    const stagedNotifications: Notification[] = [];
    const stagedEvents: DomainEvent[] = [];
    const stagedBatches: { events: readonly DomainEvent[]; recipients?: readonly string[] }[] = [];
    const idempotency = this.idempotency.staged();
    const scope: TransactionScope = {
      notifications: {
        findById: (id) => this.notifications.findById(id),
        listByUser: (query) => this.notifications.listByUser(query),
        // Sees the unit's own staged writes, as a database transaction would.
        countUnread: async (userId) => {
          const rows = new Map(this.notifications.rows);
          for (const n of stagedNotifications) rows.set(n.id, n.toSnapshot());
          return [...rows.values()].filter((n) => n.userId === userId && n.status === 'unread').length;
        },
        save: async (n) => void stagedNotifications.push(n),
      },
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
    const result = await work(scope);
    // Route first: it throws on an event outside the catalog, and then nothing may be saved.
    const routed = stagedBatches.map((b) => (b.recipients ? this.events.types.routeTo(b.recipients, b.events) : this.events.types.route(b.events)));
    const ephemeral = routed.flatMap((r) => r.ephemeral);
    const entries = stagedBatches.flatMap((b) => this.events.append(b.events, b.recipients));
    idempotency.apply();
    for (const n of stagedNotifications) await this.notifications.save(n);
    this.committedEvents.push(...stagedEvents);
    if (this.broker && entries.length > 0) await this.broker.fanOut(entries);
    // Ephemeral events are never stored; like PrismaUnitOfWork, push them after commit, best effort.
    if (this.broker && ephemeral.length > 0) await this.broker.fanOut(ephemeral).catch(() => undefined);
    return result;
  }
}
