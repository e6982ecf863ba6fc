import type { EventTypeRegistry, StreamEntry, StreamFanOut, TransactionScope, UnitOfWork } from '@pushline/domain';
import { NO_COMMIT_LISTENER, type CommittedEntriesListener } from './committed-entries.port.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { OutboxEventBus } from './outbox-event-bus.js';
import { PrismaNotificationCounter } from './prisma-notification-counter.js';
import { PrismaIdempotencyStore } from './prisma-idempotency-store.js';
import { PrismaNotificationRepository } from './prisma-notification.repository.js';
import type { PrismaWebhookOutbox } from './webhook-outbox.js';

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
  /** Names of the event handlers subscribed to a type; their jobs are written with the events. */
  readonly handlersOf?: (type: string) => readonly string[];
  /** Called after a commit that wrote handler jobs (the app nudges its handler worker). */
  readonly onHandlerJobs?: () => void;
  /** Queues webhook deliveries for the stored events in the same transaction. */
  readonly webhooks?: PrismaWebhookOutbox;
  /** Called after a commit that queued webhook deliveries (nudges the delivery worker). */
  readonly onWebhooksQueued?: () => void;
}

/** One interactive Prisma transaction per `run`: the scope's repository and event bus are bound to it. */
export class PrismaUnitOfWork implements UnitOfWork {
  constructor(
    private readonly prisma: PrismaClient,
    /** Told about the entries each commit wrote (the relay, through `PrismaOutbox`). */
    private readonly committed: CommittedEntriesListener = NO_COMMIT_LISTENER,
    private readonly options: PrismaUnitOfWorkOptions = {},
  ) {}

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    let written: readonly StreamEntry[] = [];
    let ephemeral: readonly StreamEntry[] = [];
    let handlerJobs = 0;
    let webhookDeliveries = 0;
    const result = await this.prisma.$transaction(
      async (tx) => {
        const events = new OutboxEventBus(tx, this.options.eventTypes, this.options.handlersOf, this.options.webhooks);
        const value = await work({ notifications: new PrismaNotificationRepository(tx), notificationCounts: new PrismaNotificationCounter(tx), events, idempotency: new PrismaIdempotencyStore(tx) });
        written = events.written;
        ephemeral = events.ephemeral;
        handlerJobs = events.handlerJobs;
        webhookDeliveries = events.queuedWebhookDeliveries;
        return value;
      },
      { maxWait: this.options.maxWaitMs ?? 10_000, timeout: this.options.timeoutMs ?? 10_000 },
    );
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
    return result;
  }
}
