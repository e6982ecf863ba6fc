import {
  defaultEventTypes,
  Notification,
  type DomainEvent,
  type EventBus,
  type EventTypeRegistry,
  type IdempotencyStore,
  type NotificationCounter,
  type NotificationListQuery,
  type NotificationPage,
  type NotificationRepository,
  type NotificationSnapshot,
  type StreamEntry,
  type TenantBroadcastBus,
  type TransactionScope,
} from '@pushline/domain';

/**
 * Thrown inside a deferred unit when the work reads something its own pending writes would change
 * (so the answer would be wrong before they are written): the unit of work runs it again inside an
 * interactive transaction instead. Nothing has been written when it is thrown.
 */
export class NeedsTransaction extends Error {
  constructor(readonly reason: string) {
    super(`this unit of work needs an interactive transaction: ${reason}`);
  }
}

/**
 * A unit of work's scope whose writes are only collected, to be written together in one statement
 * after the work returns. Reads go to the committed state, as they would in a READ COMMITTED
 * transaction (no read here locks); a read of a notification saved earlier in the same unit sees
 * that save.
 */
export class DeferredWriteScope implements TransactionScope {
  private readonly saved = new Map<string, NotificationSnapshot>();
  readonly rows: { userId: string; event: DomainEvent }[] = [];
  readonly ephemeral: StreamEntry[] = [];
  readonly notifications: NotificationRepository;
  readonly events: EventBus;
  /**
   * The per-user counter row (lock, advance) and handler jobs are not part of the single statement
   * yet: a unit that touches either runs in the interactive transaction, which writes both.
   */
  readonly notificationCounts: NotificationCounter = {
    lock: async () => {
      throw new NeedsTransaction('uses the notification counter');
    },
    advance: async () => {
      throw new NeedsTransaction('uses the notification counter');
    },
    current: async () => {
      throw new NeedsTransaction('uses the notification counter');
    },
  };

  /** Idempotency keys are claimed in the publish's own transaction, which only the interactive path has. */
  readonly idempotency: IdempotencyStore = {
    claim: async () => {
      throw new NeedsTransaction('claims an idempotency key');
    },
    complete: async () => {
      throw new NeedsTransaction('claims an idempotency key');
    },
  };

  /** Broadcast rows (tenant_stream_events) are written by the interactive path only. */
  readonly broadcasts: TenantBroadcastBus = {
    broadcast: async () => {
      throw new NeedsTransaction('broadcasts to a tenant');
    },
  };

  constructor(
    committed: NotificationRepository,
    types: EventTypeRegistry = defaultEventTypes,
    handlersOf: (type: string, appId?: string) => readonly string[] = () => [],
  ) {
    const saved = this.saved;
    this.notifications = {
      async findById(id: string): Promise<Notification | null> {
        const pending = saved.get(id);
        return pending ? Notification.restore(pending) : committed.findById(id);
      },
      async save(_notification: Notification): Promise<void> {
        // Notifications (state machine, counters, handler jobs) are written by the interactive path.
        throw new NeedsTransaction('saves a notification');
      },
      async listByUser(query: NotificationListQuery): Promise<NotificationPage> {
        if ([...saved.values()].some((s) => s.userId === query.userId)) throw new NeedsTransaction('lists notifications it has saved');
        return committed.listByUser(query);
      },
      countInInbox: (owner) => committed.countInInbox(owner),
      changeAll: async () => {
        throw new NeedsTransaction('changes notifications');
      },
      removeBeyondCap: async () => {
        throw new NeedsTransaction('removes notifications');
      },
      findDue: (now, limit) => committed.findDue(now, limit),
    };
    this.events = {
      publish: async (events: readonly DomainEvent[]): Promise<void> => {
        if (events.some((e) => handlersOf(e.type, e.appid).length > 0)) throw new NeedsTransaction('publishes events with handlers');
        // Stored events also need their archive row and tenant column (written by the outbox event bus);
        // the single statement does not write those yet, so only ephemeral-only units stay here.
        const routed = types.route(events);
        if (routed.stored.length > 0) throw new NeedsTransaction('stores events (archive and tenant columns)');
        this.ephemeral.push(...routed.ephemeral);
      },
      publishTo: async () => {
        throw new NeedsTransaction('publishes to chosen recipients');
      },
    };
  }

  get pendingNotifications(): readonly NotificationSnapshot[] {
    return [...this.saved.values()];
  }

  get isEmpty(): boolean {
    return this.saved.size === 0 && this.rows.length === 0;
  }
}
