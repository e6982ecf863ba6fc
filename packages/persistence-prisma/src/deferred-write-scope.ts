import {
  defaultEventTypes,
  isInInbox,
  Notification,
  type AuditEntry,
  type DomainEvent,
  type EventBus,
  type EventTypeRegistry,
  type IdempotencyStore,
  type NotificationCounter,
  type NotificationCounts,
  type NotificationListQuery,
  type NotificationOwner,
  type NotificationPage,
  type NotificationRepository,
  type NotificationSnapshot,
  type RoutedEvents,
  type StreamEntry,
  type TenantBroadcastBus,
  type TransactionScope,
} from '@pushline/domain';
import type { CounterState, DeferredReads } from './deferred-reads.js';
import type { PendingWrites } from './single-statement-write.js';
import { handlerWritesOf, type InlineAudit } from './handler-job-outbox.js';
import type { UserGate } from './user-gate.js';

/**
 * Thrown inside a deferred unit when the work does something the single statement cannot write
 * (bulk changes, reading its own pending writes, ...): the unit of work runs it again inside an
 * interactive transaction instead. Nothing has been written when it is thrown.
 */
export class NeedsTransaction extends Error {
  constructor(readonly reason: string) {
    super(`this unit of work needs an interactive transaction: ${reason}`);
  }
}

/** What a notification adds to its user's badge. */
function contribution(s: NotificationSnapshot | null): { unseen: number; unread: number } {
  if (!s || !isInInbox(s)) return { unseen: 0, unread: 0 };
  return { unseen: s.seenAt === null ? 1 : 0, unread: s.readAt === null ? 1 : 0 };
}

/**
 * A unit of work's scope whose writes are only collected, to be written together in one statement
 * after the work returns (single-statement-write.ts). It is optimistic: reads go to the committed
 * state (no lock), and the statement checks that none of what was read changed before its own locks
 * were taken: the counter rows still have the versions read (every change of a user's notifications
 * advances that version), changed notifications still have the `updated_at` read, new ones and
 * idempotency keys do not exist yet. If something did, the statement writes nothing and the unit of
 * work runs the work again from fresh reads. The counts a change answers are the counts read plus
 * what the unit's own writes change, so they equal what the interactive transaction would count.
 */
export class DeferredWriteScope implements TransactionScope {
  private readonly counters = new Map<string, { state: CounterState; steps: number }>();
  /** The committed state of each notification the unit read or saved (null: it did not exist). */
  private readonly originals = new Map<string, NotificationSnapshot | null>();
  private readonly saved = new Map<string, NotificationSnapshot>();
  private readonly removed = new Map<string, NotificationSnapshot>();
  private readonly claims = new Map<string, { scope: string; key: string; requestHash: string; at: Date; tenantId: string; response: unknown }>();
  private readonly rows: { userId: string; event: DomainEvent }[] = [];
  private readonly jobs: { handler: string; event: DomainEvent }[] = [];
  private readonly audits: AuditEntry[] = [];
  readonly ephemeral: StreamEntry[] = [];
  readonly notifications: NotificationRepository;
  readonly notificationCounts: NotificationCounter;
  readonly idempotency: IdempotencyStore;
  readonly events: EventBus;

  /** Broadcast rows (tenant_stream_events) are written by the interactive path only. */
  readonly broadcasts: TenantBroadcastBus = {
    broadcast: async () => {
      throw new NeedsTransaction('broadcasts to a tenant');
    },
  };

  constructor(
    private readonly reads: DeferredReads,
    private readonly types: EventTypeRegistry = defaultEventTypes,
    /** Handlers of a type, for an app's event also those the app declared (as OutboxEventBus asks). */
    private readonly handlersOf: (type: string, appId?: string) => readonly string[] = () => [],
    /** False when stored events need what the statement cannot write (a webhook rule only in code). */
    private readonly canStoreEvents = true,
    /** Same-user units of this process take turns (the unit of work calls `release` when it is done). */
    private readonly gate?: UserGate,
    /** The handler whose audit row the statement writes instead of its job (decision 57). */
    private readonly inlineAudit?: InlineAudit,
  ) {
    const committed = reads.notifications;
    this.notifications = {
      findById: async (id) => {
        if (this.removed.has(id)) return null;
        const pending = this.saved.get(id);
        if (pending) return Notification.restore(pending);
        const found = await committed.findById(id);
        if (!this.originals.has(id)) this.originals.set(id, found?.toSnapshot() ?? null);
        return found;
      },
      save: async (notification) => {
        const s = notification.toSnapshot();
        // Not read first: a new one (the statement checks that no row with its id exists).
        if (!this.originals.has(s.id)) this.originals.set(s.id, null);
        this.saved.set(s.id, s);
      },
      listByUser: async (query: NotificationListQuery): Promise<NotificationPage> => {
        if (this.touches(query.userId)) throw new NeedsTransaction('lists notifications it has changed');
        return committed.listByUser(query);
      },
      countInInbox: async (owner) => {
        if (this.touches(owner.userId)) throw new NeedsTransaction('counts notifications it has changed');
        return committed.countInInbox(owner);
      },
      changeAll: async () => {
        throw new NeedsTransaction('changes notifications in bulk');
      },
      removeBeyondCap: (userId, cap, now) => this.removeBeyondCap(userId, cap, now),
      findDue: (now, limit) => committed.findDue(now, limit),
    };
    this.notificationCounts = {
      lock: async (userId) => {
        await this.counter(userId);
      },
      advance: async (owner) => {
        (await this.counter(owner.userId)).steps += 1;
        return this.countsOf(owner);
      },
      current: async (owner) => {
        await this.counter(owner.userId);
        return this.countsOf(owner);
      },
    };
    this.idempotency = {
      claim: async (scope, key, requestHash, at, tenantId) => {
        const id = `${scope}\u0000${key}`;
        if (this.claims.has(id)) throw new NeedsTransaction('claims one idempotency key twice');
        const stored = await this.reads.claim(scope, key, tenantId);
        if (stored) return { state: 'stored' as const, requestHash: stored.requestHash, response: stored.response };
        // The statement inserts it; if another request committed it meanwhile, the unit runs again and replays.
        this.claims.set(id, { scope, key, requestHash, at, tenantId, response: null });
        return { state: 'new' as const };
      },
      complete: async (scope, key, response, tenantId) => {
        const claim = this.claims.get(`${scope}\u0000${key}`);
        if (!claim || claim.tenantId !== tenantId) throw new NeedsTransaction('completes a key it did not claim');
        claim.response = response;
      },
    };
    this.events = {
      publish: async (events) => this.append(this.types.route(events), events),
      publishTo: async (recipients, events) => this.append(this.types.routeTo(recipients, events), events),
    };
  }

  get isEmpty(): boolean {
    return this.saved.size === 0 && this.removed.size === 0 && this.claims.size === 0 && this.rows.length === 0 && this.jobs.length === 0 && this.audits.length === 0;
  }

  /** Everything the statement writes and verifies. */
  pending(): PendingWrites {
    const saved = [...this.saved.values()];
    return {
      counters: [...this.counters].map(([userId, c]) => {
        let total = c.state.total;
        for (const s of this.saved.values()) if (s.userId === userId && !this.originals.get(s.id)) total += 1;
        for (const s of this.removed.values()) if (s.userId === userId) total -= 1;
        const byTenant: Record<string, { unseen: number; unread: number }> = { ...c.state.byTenant };
        const tenants = new Set([...Object.keys(byTenant), ...[...this.saved.values(), ...this.removed.values()].filter((n) => n.userId === userId).map((n) => n.tenantId)]);
        for (const tenantId of tenants) {
          const { unseen, unread } = this.countsOf({ tenantId, userId });
          byTenant[tenantId] = { unseen, unread };
        }
        return { userId, expected: c.state.version, steps: c.steps, after: { version: c.state.version + c.steps, byTenant, total } };
      }),
      created: saved.filter((s) => !this.originals.get(s.id)),
      updated: saved.flatMap((s) => {
        const was = this.originals.get(s.id);
        return was ? [{ id: s.id, was: was.updatedAt, snapshot: s }] : [];
      }),
      removed: [...this.removed.values()].map((s) => ({ id: s.id, was: s.updatedAt })),
      claims: [...this.claims.values()],
      rows: this.rows,
      jobs: this.jobs,
      audits: this.audits,
    };
  }

  private readonly releases: (() => void)[] = [];

  /** Ends this unit's turns (after its statement, or when it failed or went to the transaction). */
  release(): void {
    for (const r of this.releases.splice(0)) r();
  }

  private async counter(userId: string): Promise<{ state: CounterState; steps: number }> {
    let c = this.counters.get(userId);
    if (!c) {
      if (this.gate) {
        const release = await this.gate.enter(userId, this.releases.length > 0);
        if (!release) throw new NeedsTransaction('changes a second user while another unit has that one');
        this.releases.push(release);
      }
      const state = await this.reads.counter(userId);
      // Two concurrent calls for one user: keep the first read.
      c = this.counters.get(userId) ?? { state, steps: 0 };
      this.counters.set(userId, c);
    }
    return c;
  }

  /**
   * The counts read plus what this unit's saves and removals change, at the version it will write.
   * Counts are keyed by tenant as well (the interactive path's query filters both).
   */
  private countsOf({ tenantId, userId }: NotificationOwner): NotificationCounts {
    const c = this.counters.get(userId)!;
    let { unseen, unread } = c.state.byTenant[tenantId] ?? { unseen: 0, unread: 0 };
    for (const s of this.saved.values()) {
      if (s.userId !== userId || s.tenantId !== tenantId) continue;
      const now = contribution(s);
      const was = contribution(this.originals.get(s.id) ?? null);
      unseen += now.unseen - was.unseen;
      unread += now.unread - was.unread;
    }
    for (const s of this.removed.values()) {
      if (s.userId !== userId || s.tenantId !== tenantId) continue;
      const was = contribution(s);
      unseen -= was.unseen;
      unread -= was.unread;
    }
    return { version: c.state.version + c.steps, unseen, unread };
  }

  private touches(userId: string): boolean {
    return [...this.saved.values(), ...this.removed.values()].some((s) => s.userId === userId);
  }

  private async removeBeyondCap(userId: string, cap: number, now: Date): Promise<readonly Notification[]> {
    const { state } = await this.counter(userId);
    let added = 0;
    for (const s of this.saved.values()) if (s.userId === userId && !this.originals.get(s.id)) added += 1;
    for (const s of this.removed.values()) if (s.userId === userId) added -= 1;
    const over = state.total + added - cap;
    if (over <= 0) return [];
    if (over >= state.total) throw new NeedsTransaction('removes notifications it created');
    const beyond = await this.reads.overCap(userId, over);
    return beyond.map((n) => {
      const s = { ...n.toSnapshot() };
      if (this.saved.has(s.id)) throw new NeedsTransaction('removes a notification it changed');
      this.removed.set(s.id, s);
      n.softDelete(now);
      return n;
    });
  }

  private async append({ stored, ephemeral, aboutOnly }: RoutedEvents, events: readonly DomainEvent[]): Promise<void> {
    if (stored.length > 0 && !this.canStoreEvents) throw new NeedsTransaction('stores events whose webhook rule has no SQL form');
    // The statement queues webhooks from stream rows only; an event about users without one is rare (a channel-only notification).
    if (aboutOnly.length > 0) throw new NeedsTransaction('stores an event about users outside its audience');
    this.ephemeral.push(...ephemeral);
    // As OutboxEventBus: one job per (handler, event) for every event that is not ephemeral, or its audit row.
    const { jobs, audits } = handlerWritesOf(this.types, this.handlersOf, events, this.inlineAudit);
    this.jobs.push(...jobs);
    this.audits.push(...audits);
    this.rows.push(...stored);
  }
}
