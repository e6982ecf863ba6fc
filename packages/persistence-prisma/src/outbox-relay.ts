import { progressSqlOf } from './hot-sql.js';
import type { DomainEvent, StreamEntry, StreamFanOut } from '@pushline/domain';
import type { CommittedEntriesListener } from './committed-entries.port.js';
import type { PrismaClient } from './generated/prisma/client.js';

export interface OutboxRelayOptions {
  /** Most rows published per transaction. Default 500. */
  readonly batchSize?: number;
  /** Pause between polls once started; nudges make the usual latency far shorter. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Longest one batch (select, publish, mark) may hold its transaction. Default 30 s. */
  readonly batchTimeoutMs?: number;
  /**
   * Publish just-committed entries at once (`onCommitted`) instead of waiting for a drain.
   * Default true. The drains still sweep whatever the fast path did not mark published.
   */
  readonly fastPath?: boolean;
}

interface OutboxRow {
  seq: bigint;
  user_id: string;
  cursor: bigint;
  envelope: unknown;
}

// Advisory lock id: the ASCII bytes of "outboxrl" read as a 64-bit integer.
const RELAY_LOCK_KEY = 8031453476610929260n;

/**
 * Publishes committed stream rows to the broker, in `seq` order, and marks them published.
 * At-least-once: a row is marked only after `fanOut` resolved, so a crash or a failing broker
 * means it is published again later (clients drop duplicates by event id).
 *
 * One batch at a time across every instance (a transaction-level advisory lock), so each user's
 * entries reach the broker in cursor order; `FOR UPDATE SKIP LOCKED` additionally keeps rows that
 * another transaction holds out of a batch. Within an instance, drains never overlap: concurrent
 * `drain()`/`nudge()` calls share one follow-up drain.
 */
export class OutboxRelay implements CommittedEntriesListener {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly batchTimeoutMs: number;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private readonly fastPath: boolean;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly toMark: StreamEntry[] = [];
  private marking: Promise<void> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly broker: StreamFanOut,
    options: OutboxRelayOptions = {},
    /** Receives failures of polls and nudges (a failed batch is retried on the next one). */
    private readonly onError: (error: unknown) => void = (error) =>
      process.emitWarning(error instanceof Error ? error : String(error), { code: 'PUSHLINE_OUTBOX_RELAY' }),
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchTimeoutMs = options.batchTimeoutMs ?? 30_000;
    this.fastPath = options.fastPath ?? true;
  }

  /** Starts polling. The timer is unref'd: it never keeps the process alive on its own. */
  start(): void {
    if (this.stopped) throw new Error('OutboxRelay was stopped; create a new one');
    if (this.started) return;
    this.started = true;
    this.schedulePoll();
  }

  /** Asks for a drain soon, e.g. right after a commit; errors go to `onError`. */
  nudge(): void {
    if (this.stopped) return;
    this.drain().catch(this.onError);
  }

  /**
   * Hands entries a unit of work has just committed to the broker now, then marks them published,
   * saving the drain's round-trips on the way to the devices. Entries of concurrent commits may
   * reach the broker out of cursor order this way; devices fill such gaps from the event log. When
   * anything fails, the rows stay unpublished and a drain publishes them (at-least-once either way).
   */
  onCommitted(entries: readonly StreamEntry[]): void {
    if (this.stopped) return;
    if (!this.fastPath) {
      this.nudge();
      return;
    }
    const flight: Promise<void> = this.broker
      .fanOut(entries)
      .then(
        () => this.markPublished(entries),
        (error: unknown) => {
          this.onError(error);
          this.nudge();
        },
      )
      .finally(() => this.inFlight.delete(flight));
    this.inFlight.add(flight);
  }

  /**
   * Marks fast-path entries published. One UPDATE at a time: entries published meanwhile wait and go
   * in the next one, so under load many commits share one round trip.
   */
  private markPublished(entries: readonly StreamEntry[]): Promise<void> {
    this.toMark.push(...entries);
    return (this.marking ??= this.markLoop().finally(() => (this.marking = null)));
  }

  private async markLoop(): Promise<void> {
    while (this.toMark.length > 0) {
      const batch = this.toMark.splice(0, this.batchSize);
      try {
        await progressSqlOf(this.prisma).query(
          `UPDATE stream_events SET published_at = now()
           WHERE published_at IS NULL AND (user_id, cursor) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
          [batch.map((e) => e.userId), batch.map((e) => e.cursor)],
        );
      } catch (error) {
        // Still unpublished in the table: a drain publishes them again (at-least-once).
        this.onError(error);
        this.nudge();
      }
    }
  }

  /**
   * Publishes everything committed before this call. Resolves when none of it is left (or when the
   * relay is stopped meanwhile); rejects with the broker's or database's error, leaving the failed
   * batch unpublished for the next drain.
   */
  drain(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('OutboxRelay is stopped'));
    // Fast-path flights hold entries committed before this call: until their marking lands, a batch
    // would skip those rows (locked) and a caller would see them unpublished after the drain.
    if (this.inFlight.size > 0) return Promise.all(this.inFlight).then(() => this.drainBatches());
    return this.drainBatches();
  }

  private drainBatches(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('OutboxRelay is stopped'));
    if (this.queued) return this.queued;
    if (!this.running) return this.runDrain();
    // The running drain may already have passed rows committed just now: queue one fresh drain
    // behind it, shared by every caller until it starts.
    const queued = this.running
      .catch(() => {})
      .then(() => {
        this.queued = null;
        return this.runDrain();
      });
    this.queued = queued;
    return queued;
  }

  /** Stops polling, lets the batch in flight finish, and resolves when nothing runs any more. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await (this.queued ?? this.running)?.catch(() => {});
    await Promise.all(this.inFlight);
    await this.marking;
  }

  private runDrain(): Promise<void> {
    const run = this.drainLoop().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async drainLoop(): Promise<void> {
    while (!this.stopped) {
      const published = await this.publishBatch();
      // A short batch means nothing committed before its select is left.
      if (published < this.batchSize) return;
    }
  }

  private publishBatch(): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RELAY_LOCK_KEY})`;
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT seq, user_id, cursor, envelope FROM stream_events
          WHERE published_at IS NULL
          ORDER BY seq
          LIMIT ${this.batchSize}
          FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        await this.broker.fanOut(rows.map(toEntry));
        await tx.streamEvent.updateMany({
          where: { seq: { in: rows.map((row) => row.seq) } },
          data: { publishedAt: new Date() },
        });
        return rows.length;
      },
      { maxWait: this.batchTimeoutMs, timeout: this.batchTimeoutMs },
    );
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.drain()
        .catch(this.onError)
        .finally(() => this.schedulePoll());
    }, this.pollIntervalMs);
    this.timer.unref();
  }
}

function toEntry(row: OutboxRow): StreamEntry {
  return { userId: row.user_id, cursor: Number(row.cursor), event: row.envelope as DomainEvent };
}
