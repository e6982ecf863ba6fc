import type { EventTypeRegistry, NotificationOwner, StreamEntry, StreamFanOut, TransactionScope, UnitOfWork } from '@pushline/domain';
import { NO_COMMIT_LISTENER, type CommittedEntriesListener } from './committed-entries.port.js';
import { PrismaDeferredReads } from './deferred-reads.js';
import { DeferredWriteScope, NeedsTransaction } from './deferred-write-scope.js';
import { StaleUnitOfWork, writeInOneStatement, type WrittenUnit } from './single-statement-write.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { OutboxEventBus } from './outbox-event-bus.js';
import { OutboxTenantBroadcastBus } from './outbox-tenant-broadcast-bus.js';
import { PrismaNotificationCounter } from './prisma-notification-counter.js';
import { PrismaIdempotencyStore } from './prisma-idempotency-store.js';
import { PrismaNotificationRepository } from './prisma-notification.repository.js';
import type { PrismaWebhookOutbox } from './webhook-outbox.js';
import type { InlineAudit } from './handler-job-outbox.js';
import { GroupCommitWriter } from './group-commit-writer.js';
import { UserGate } from './user-gate.js';

export interface PrismaUnitOfWorkOptions {
  /** Longest wait for a connection (PostgreSQL) or for the previous transaction (PGlite). Default 10 s. */
  readonly maxWaitMs?: number;
  /** Longest a unit of work may run before it is rolled back. Default 10 s. */
  readonly timeoutMs?: number;
  /** Receives `ephemeral` events after commit (they are never stored). Without one they are dropped. */
  readonly ephemeralFanOut?: StreamFanOut;
  /** Called when pushing ephemeral entries fails; the unit of work has committed and still succeeds. */
  readonly onEphemeralError?: (error: unknown) => void;
  /** Event catalog lookup; the default is the domain's catalog. */
  readonly eventTypes?: EventTypeRegistry;
  /**
   * `single-statement` (default): the work's writes are collected and written in one SQL statement
   * after it returns (see single-statement-write.ts); a unit that reads its own pending writes runs
   * again in an interactive transaction. `interactive`: always an interactive transaction.
   */
  readonly writeMode?: 'single-statement' | 'interactive';
  /**
   * Single-statement mode: how often a unit whose reads went stale before its statement ran (another
   * change of the same user committed in between) runs again before it takes the interactive
   * transaction instead. Default 3.
   */
  readonly optimisticAttempts?: number;
  /**
   * Single-statement mode: most statements in flight at once; units finishing meanwhile are written
   * together in the next one (group commit). Keep it below the connection pool's size. Default 1.
   * Beyond the first, a statement starts only for a backlog of `parallelRows` stream rows: measured
   * with 32 single creates in flight on 2 cores, one statement at a time carried 1.5× the creates of
   * four (decision 57), while batched publishes of 20 users queued behind one statement of ~1,000 rows
   * that one backend ran for 200 ms (decision 61).
   */
  readonly maxStatementsInFlight?: number;
  /** Single-statement mode: see `GroupCommitOptions.parallelRows`. Default 200. */
  readonly parallelRows?: number;
  /** Names of the event handlers subscribed to a type; their jobs are written with the events. */
  readonly handlersOf?: (type: string, appId?: string) => readonly string[];
  /**
   * The handler whose audit row the unit writes with the event instead of queueing its job (decision
   * 57); only for events `handlersOf` gives that handler.
   */
  readonly inlineAudit?: InlineAudit;
  /** Called after a commit that wrote handler jobs (the app nudges its handler worker). */
  readonly onHandlerJobs?: () => void;
  /** Queues webhook deliveries for the stored events in the same transaction. */
  readonly webhooks?: PrismaWebhookOutbox;
  /** Called after a commit that queued webhook deliveries (nudges the delivery worker). */
  readonly onWebhooksQueued?: () => void;
}

/**
 * One atomic write per `run`: by default a single SQL statement built from what the work saved and
 * published (shared with concurrent units under load: group commit); an interactive Prisma
 * transaction (scope bound to it) when the work needs to read its own writes or `writeMode` says so.
 */
export class PrismaUnitOfWork implements UnitOfWork {
  constructor(
    private readonly prisma: PrismaClient,
    /** Told about the entries each commit wrote (the relay, through `PrismaOutbox`). */
    private readonly committed: CommittedEntriesListener = NO_COMMIT_LISTENER,
    private readonly options: PrismaUnitOfWorkOptions = {},
  ) {
    // A webhook outbox whose audience rule has no SQL form sends units that store events to the transaction.
    const plan = options.webhooks?.plan;
    this.canStoreEvents = !options.webhooks || plan !== undefined;
    this.writer = new GroupCommitWriter((writes) => writeInOneStatement(prisma, writes, plan), {
      maxInFlight: options.maxStatementsInFlight ?? 1,
      ...(options.parallelRows !== undefined && { parallelRows: options.parallelRows }),
    });
    this.reads = new PrismaDeferredReads(prisma);
  }

  private readonly writer: GroupCommitWriter;
  private readonly reads: PrismaDeferredReads;
  private readonly canStoreEvents: boolean;
  private readonly gate = new UserGate();

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    if (this.options.writeMode !== 'interactive') {
      const attempts = this.options.optimisticAttempts ?? 3;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const scope = new DeferredWriteScope(this.reads, this.options.eventTypes, this.options.handlersOf, this.canStoreEvents, this.gate, this.options.inlineAudit);
        let result: T;
        try {
          result = await work(scope);
        } catch (error) {
          scope.release();
          // Nothing was written; the work needs to read its own writes: the transaction can.
          if (!(error instanceof NeedsTransaction)) throw error;
          break;
        }
        if (scope.isEmpty) {
          scope.release();
          await this.afterCommit([], scope.ephemeral);
          return result;
        }
        const pending = scope.pending();
        let written: WrittenUnit;
        try {
          written = await this.writer.write(pending);
        } catch (error) {
          for (const c of pending.counters) this.reads.forget(c.userId);
          scope.release();
          // The statement wrote nothing. Stale reads: run the work again from fresh ones. Any other
          // failure: the interactive transaction either reproduces it with its usual error (a deleted
          // user's foreign key) or, where the cause was a stale read PGlite reports without its message,
          // succeeds.
          if (error instanceof StaleUnitOfWork) continue;
          break;
        }
        for (const c of pending.counters) if (c.after) this.reads.remember(c.userId, c.after);
        scope.release();
        await this.afterCommit(written.entries, scope.ephemeral, written.handlerJobs, written.webhookDeliveries);
        return result;
      }
    }
    return this.runInTransaction(work);
  }

  private async runInTransaction<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    let written: readonly StreamEntry[] = [];
    let ephemeral: readonly StreamEntry[] = [];
    let handlerJobs = 0;
    let webhookDeliveries = 0;
    const changedUsers = new Set<string>();
    const result = await this.prisma.$transaction(
      async (tx) => {
        const events = new OutboxEventBus(tx, this.options.eventTypes, this.options.handlersOf, this.options.webhooks, this.options.inlineAudit);
        const counter = new PrismaNotificationCounter(tx);
        // The one-statement path must not start from a counter row this transaction changes.
        const notificationCounts = {
          lock: (userId: string) => (changedUsers.add(userId), counter.lock(userId)),
          advance: (owner: NotificationOwner) => (changedUsers.add(owner.userId), counter.advance(owner)),
          current: (owner: NotificationOwner) => counter.current(owner),
        };
        const broadcasts = new OutboxTenantBroadcastBus(tx, { types: this.options.eventTypes, handlersOf: this.options.handlersOf, inlineAudit: this.options.inlineAudit, webhooks: this.options.webhooks });
        const value = await work({ notifications: new PrismaNotificationRepository(tx), notificationCounts, events, idempotency: new PrismaIdempotencyStore(tx), broadcasts });
        written = [...events.written, ...broadcasts.written];
        ephemeral = events.ephemeral;
        handlerJobs = events.handlerJobs + broadcasts.handlerJobs;
        webhookDeliveries = events.queuedWebhookDeliveries + broadcasts.queuedWebhookDeliveries;
        return value;
      },
      { maxWait: this.options.maxWaitMs ?? 10_000, timeout: this.options.timeoutMs ?? 10_000 },
    ).finally(() => {
      for (const userId of changedUsers) this.reads.forget(userId);
    });
    await this.afterCommit(written, ephemeral, handlerJobs, webhookDeliveries);
    return result;
  }

  private async afterCommit(written: readonly StreamEntry[], ephemeral: readonly StreamEntry[], handlerJobs = 0, webhookDeliveries = 0): Promise<void> {
    if (written.length > 0) {
      try {
        this.committed.onCommitted(written);
      } catch {
        // The work is committed and must be reported as done; a lost nudge only delays publishing
        // until the relay's next poll.
      }
    }
    if (handlerJobs > 0) {
      try {
        this.options.onHandlerJobs?.();
      } catch {
        // As above: the worker's next poll runs the jobs.
      }
    }
    if (webhookDeliveries > 0) {
      try {
        this.options.onWebhooksQueued?.();
      } catch {
        // As above: the workers' poll finds the deliveries anyway.
      }
    }
    if (ephemeral.length > 0 && this.options.ephemeralFanOut) {
      // Best effort by definition: an ephemeral event that cannot be pushed now is simply not seen.
      await this.options.ephemeralFanOut.fanOut(ephemeral).catch((error: unknown) => this.options.onEphemeralError?.(error));
    }
  }
}
