import type { EventTypeRegistry, StreamEntry, StreamFanOut, TransactionScope, UnitOfWork } from '@pushline/domain';
import { NO_COMMIT_LISTENER, type CommittedEntriesListener } from './committed-entries.port.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { OutboxEventBus } from './outbox-event-bus.js';
import { PrismaIdempotencyStore } from './prisma-idempotency-store.js';
import { PrismaNotificationRepository } from './prisma-notification.repository.js';

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
    const result = await this.prisma.$transaction(
      async (tx) => {
        const events = new OutboxEventBus(tx, this.options.eventTypes);
        const value = await work({ notifications: new PrismaNotificationRepository(tx), events, idempotency: new PrismaIdempotencyStore(tx) });
        written = events.written;
        ephemeral = events.ephemeral;
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
    if (ephemeral.length > 0 && this.options.ephemeralFanOut) {
      // Best effort by definition: an ephemeral event that cannot be pushed now is simply not seen.
      await this.options.ephemeralFanOut.fanOut(ephemeral).catch((error: unknown) => this.options.onEphemeralError?.(error));
    }
    return result;
  }
}
