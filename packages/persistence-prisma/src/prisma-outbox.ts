import type { StreamFanOut } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { PrismaUnitOfWork, type PrismaUnitOfWorkOptions } from './prisma-unit-of-work.js';

export interface PrismaOutboxOptions {
  readonly relay?: OutboxRelayOptions;
  readonly unitOfWork?: PrismaUnitOfWorkOptions;
  /** Failures of relay polls and fast-path hand-offs (each is retried by a later drain). */
  readonly onRelayError?: (error: unknown) => void;
}

/**
 * The transactional outbox on Prisma, whole: units of work append events in the transaction of the
 * state they describe, and the relay hands committed entries to the broker. The commit hand-off between
 * the two (`CommittedEntriesListener`) is wired here, inside persistence, not by the app.
 */
export class PrismaOutbox {
  readonly relay: OutboxRelay;
  readonly unitOfWork: PrismaUnitOfWork;

  constructor(prisma: PrismaClient, broker: StreamFanOut, options: PrismaOutboxOptions = {}) {
    this.relay = new OutboxRelay(prisma, broker, options.relay, options.onRelayError);
    this.unitOfWork = new PrismaUnitOfWork(prisma, this.relay, options.unitOfWork);
  }
}
