import type { EventTypeRegistry, StreamEntry, StreamFanOut, TransactionScope, UnitOfWork } from '@pushline/domain';
import { NO_COMMIT_LISTENER, type CommittedEntriesListener } from './committed-entries.port.js';
import { DeferredWriteScope, NeedsTransaction } from './deferred-write-scope.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { OutboxEventBus } from './outbox-event-bus.js';
import { OutboxTenantBroadcastBus } from './outbox-tenant-broadcast-bus.js';
import { PrismaNotificationCounter } from './prisma-notification-counter.js';
import { PrismaIdempotencyStore } from './prisma-idempotency-store.js';
import { PrismaNotificationRepository } from './prisma-notification.repository.js';
import type { PrismaWebhookOutbox } from './webhook-outbox.js';
import { GroupCommitWriter } from './group-commit-writer.js';

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
   * Single-statement mode: most statements in flight at once; units finishing meanwhile are written
   * together in the next one (group commit). Keep it below the connection pool's size. Default 4.
   */
  readonly maxStatementsInFlight?: number;
  /** Names of the event handlers subscribed to a type; their jobs are written with the events. */
  readonly handlersOf?: (type: string, appId?: string) => readonly string[];
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
    this.writer = new GroupCommitWriter(prisma, options.maxStatementsInFlight ?? 4);
  }

  private readonly writer: GroupCommitWriter;

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    // The one-statement path writes stream rows and handler jobs, not webhook deliveries: with a webhook
    // outbox every unit takes the transaction, so no matching event is ever committed without its delivery.
    if (this.options.writeMode !== 'interactive' && !this.options.webhooks) {
      const scope = new DeferredWriteScope(new PrismaNotificationRepository(this.prisma), this.options.eventTypes, this.options.handlersOf);
      try {
        const result = await work(scope);
        const written = scope.isEmpty ? [] : await this.writer.write({ notifications: scope.pendingNotifications, rows: scope.rows });
        await this.afterCommit(written, scope.ephemeral);
        return result;
      } catch (error) {
        // Nothing was written: run the work again where it can read its own writes.
        if (!(error instanceof NeedsTransaction)) throw error;
      }
    }
    return this.runInTransaction(work);
  }

  private async runInTransaction<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    let written: readonly StreamEntry[] = [];
    let ephemeral: readonly StreamEntry[] = [];
    let handlerJobs = 0;
    let webhookDeliveries = 0;
    const result = await this.prisma.$transaction(
      async (tx) => {
        const events = new OutboxEventBus(tx, this.options.eventTypes, this.options.handlersOf, this.options.webhooks);
        const broadcasts = new OutboxTenantBroadcastBus(tx);
        const value = await work({ notifications: new PrismaNotificationRepository(tx), notificationCounts: new PrismaNotificationCounter(tx), events, idempotency: new PrismaIdempotencyStore(tx), broadcasts });
        written = [...events.written, ...broadcasts.written];
        ephemeral = events.ephemeral;
        handlerJobs = events.handlerJobs;
        webhookDeliveries = events.queuedWebhookDeliveries;
        return value;
      },
      { maxWait: this.options.maxWaitMs ?? 10_000, timeout: this.options.timeoutMs ?? 10_000 },
    );
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
