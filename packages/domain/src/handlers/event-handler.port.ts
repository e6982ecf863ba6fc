import type { DomainEvent } from '../events/domain-event.js';

/**
 * An application-level subscriber to domain events, run after the publishing transaction committed.
 * At-least-once: a handler may see the same event again (after a crash or a retry), so it must be
 * idempotent by `event.id`. A handler that throws is retried with backoff, then dead-lettered; it
 * never stops another handler.
 */
export interface EventHandler {
  /** Stable name: jobs, metrics and dead letters are keyed by it. Never rename one in use. */
  readonly name: string;
  /** The event types it handles. */
  readonly handles: readonly string[];
  /** Also every event an app publishes (app-declared types, not in the catalog). */
  readonly handlesAppEvents?: boolean;
  handle(event: DomainEvent): Promise<void>;
}

/** One event waiting for (or being run by) one handler. */
export interface HandlerJob {
  readonly id: string;
  readonly handler: string;
  readonly event: DomainEvent;
  /** Including the run it was just claimed for. */
  readonly attempts: number;
}

export interface DeadLetter extends HandlerJob {
  readonly lastError: string;
  readonly failedAt: Date;
}

/** The jobs written by the outbox, as the handler worker sees them. */
export interface HandlerJobQueue {
  /**
   * Claims up to `limit` due jobs and leases them until `leaseUntil`, so other instances skip them;
   * a job whose worker died is claimed again once its lease ran out.
   */
  claim(now: Date, limit: number, leaseUntil: Date): Promise<readonly HandlerJob[]>;
  complete(jobId: string, now: Date): Promise<void>;
  /** Records a failure: the job runs again at `retryAt`, or is dead-lettered when that is null. */
  fail(jobId: string, error: string, retryAt: Date | null, now: Date): Promise<void>;
  listDead(query: { readonly handler?: string; readonly limit: number }): Promise<readonly DeadLetter[]>;
  /** Puts a dead letter back in the queue, due now, with its attempts reset. False if it is not dead. */
  replay(jobId: string, now: Date): Promise<boolean>;
  /**
   * Removes up to `limit` jobs that succeeded before `before`, oldest first, and resolves to how many
   * (the retention job calls it in batches). Pending, leased and dead jobs are never removed here.
   */
  purgeDone(before: Date, limit: number): Promise<number>;
  /** Removes one dead letter for good (the operator's purge). False if it is not a dead letter. */
  purgeDead(jobId: string): Promise<boolean>;
}

export type HandlerOutcome = 'ok' | 'retry' | 'dead';

/** Told about every handler run (metrics); must not throw. */
export interface HandlerRunObserver {
  onRun(handler: string, outcome: HandlerOutcome, seconds: number): void;
}
