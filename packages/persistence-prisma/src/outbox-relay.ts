import { progressSqlOf } from './hot-sql.js';
import type { DomainEvent, StreamEntry, StreamFanOut } from '@pushline/domain';
import type { CommittedEntriesListener } from './committed-entries.port.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createdAtLeastAgo } from './outbox-age.js';
import { markTenantEntriesPublished, markTenantSeqsPublished, unpublishedTenantEntries } from './tenant-stream-outbox.js';

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
  /**
   * Users are split into this many partitions by a hash of their id, each drained under its own
   * advisory lock, so several instances drain different partitions at once. Every instance must use
   * the same count. Default 16.
   */
  readonly partitions?: number;
  /**
   * The poll sweeps only rows committed at least this long ago (by their `created_at`). Younger rows
   * are usually in another instance's fast path right now: a sweep that took them would publish them
   * a second time and hold their row locks while that instance's mark waits on them. Default 2000 ms;
   * `drain()` and nudges take every row, whatever its age.
   */
  readonly sweepAfterMs?: number;
  /** Told how many entries each drain batch handed to the broker (the fast path's are not counted). */
  readonly onDrained?: (entries: number) => void;
}

interface OutboxRow {
  seq: bigint;
  user_id: string;
  cursor: bigint;
  envelope: unknown;
}

/** Advisory lock class of the relay's partitions (the ASCII bytes of "outr"); the partition is the second key. */
export const RELAY_LOCK_CLASS = 0x6f757472;
export const DEFAULT_RELAY_PARTITIONS = 16;
/** Unpublished rows one look at the backlog considers when choosing the partitions to drain. */
const PROBE_ROWS = 5000;

/**
 * Publishes committed stream rows to the broker, in `seq` order per user, and marks them published
 * (deletes their `stream_outbox` row; the tenants' broadcast rows get `published_at`).
 * At-least-once: a row is marked only after `fanOut` resolved, so a crash or a failing broker
 * means it is published again later (clients drop duplicates by event id).
 *
 * Users fall into `partitions` by a hash of their id; one batch of a partition at a time across
 * every instance (a transaction-level advisory lock per partition), so each user's entries reach the
 * broker in cursor order while instances drain different partitions in parallel. The tenants'
 * broadcast streams are one more partition (number `partitions`, its own lock). A drain first skips
 * partitions another instance holds, then waits for them, so it still ends with nothing committed
 * before it left. `FOR UPDATE SKIP LOCKED` additionally keeps rows that another transaction holds
 * out of a batch. Within an instance, drains never overlap: concurrent `drain()`/`nudge()` calls
 * share one follow-up drain.
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
  private readonly partitions: number;
  private readonly sweepAfterMs: number;
  private readonly onDrained: (entries: number) => void;

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
    this.partitions = options.partitions ?? DEFAULT_RELAY_PARTITIONS;
    this.sweepAfterMs = options.sweepAfterMs ?? 2000;
    this.onDrained = options.onDrained ?? (() => {});
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
      const all = this.toMark.splice(0, this.batchSize);
      // Tenant broadcasts live in their own table (tenant-stream-outbox.ts).
      const batch = all.filter((e) => e.tenantStream === undefined);
      try {
        await markTenantEntriesPublished(this.prisma, all.filter((e) => e.tenantStream !== undefined));
        // Found through the entries' (user_id, cursor) index; an entry a drain published meanwhile has no row left.
        if (batch.length > 0) await progressSqlOf(this.prisma).query(
          `DELETE FROM stream_outbox o USING stream_events e, unnest($1::text[], $2::bigint[]) AS m(user_id, cursor)
           WHERE e.user_id = m.user_id AND e.cursor = m.cursor AND o.seq = e.seq`,
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

  /**
   * What the poll runs: publishes the rows committed at least `sweepAfterMs` ago that nothing has
   * published yet (a fast path that failed, an instance that stopped between commit and publish).
   * Resolves at once while a drain runs in this instance: that drain covers them.
   */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('OutboxRelay is stopped'));
    if (this.running) return this.running.catch(() => {});
    return this.runDrain(this.sweepAfterMs);
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

  /** `minAgeMs`: only rows committed at least this long ago (0: every row). */
  private runDrain(minAgeMs = 0): Promise<void> {
    const run = this.drainLoop(minAgeMs).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async drainLoop(minAgeMs: number): Promise<void> {
    while (!this.stopped) {
      const { partitions, more } = await this.partitionsWithBacklog(minAgeMs);
      const busy: number[] = [];
      let full = false;
      for (const partition of partitions) {
        if (this.stopped) return;
        const published = await this.publishBatch(partition, 'skip-if-held', minAgeMs);
        if (published === null) busy.push(partition);
        else full ||= published === this.batchSize;
      }
      // Held by another instance: by the time this one gets the lock, that one has usually drained it.
      for (const partition of busy) {
        if (this.stopped) return;
        full ||= (await this.publishBatch(partition, 'wait', minAgeMs)) === this.batchSize;
      }
      // A short batch everywhere means nothing committed before the look at the backlog is left.
      if (!full && !more) return;
    }
  }

  /** Partitions with unpublished rows, oldest first; one index-only look, no lock. */
  private async partitionsWithBacklog(minAgeMs: number): Promise<{ partitions: number[]; more: boolean }> {
    const rows = await this.prisma.$queryRaw<{ partition: number; n: bigint }[]>`
      SELECT ((hashtext(user_id) & 2147483647) % ${this.partitions}::int)::int AS partition, count(*) AS n
      FROM (
        SELECT e.user_id, o.seq FROM stream_outbox o JOIN stream_events e ON e.seq = o.seq
        WHERE ${createdAtLeastAgo('e.created_at', minAgeMs)}
        ORDER BY o.seq LIMIT ${PROBE_ROWS}
      ) backlog
      GROUP BY 1 ORDER BY min(seq)`;
    const seen = rows.reduce((sum, row) => sum + Number(row.n), 0);
    const partitions = rows.map((row) => row.partition);
    // Tenant broadcasts (tenant-stream-outbox.ts) are one more partition, after the users' ones.
    const [broadcasts] = await this.prisma.$queryRaw<{ pending: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM tenant_stream_events WHERE published_at IS NULL AND ${createdAtLeastAgo('created_at', minAgeMs)}) AS pending`;
    if (broadcasts?.pending) partitions.push(this.broadcastPartition);
    return { partitions, more: seen === PROBE_ROWS };
  }

  /** The partition number (and advisory lock key) of the tenant broadcast streams. */
  private get broadcastPartition(): number {
    return this.partitions;
  }

  /** Publishes one batch of the partition; `null` when another instance holds it and `skip-if-held`. */
  private publishBatch(partition: number, mode: 'skip-if-held' | 'wait', minAgeMs: number): Promise<number | null> {
    return this.prisma.$transaction(
      async (tx) => {
        if (mode === 'wait') {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RELAY_LOCK_CLASS}::int, ${partition}::int)`;
        } else {
          const [lock] = await tx.$queryRaw<{ taken: boolean }[]>`
            SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_CLASS}::int, ${partition}::int) AS taken`;
          if (!lock?.taken) return null;
        }
        if (partition === this.broadcastPartition) {
          const tenant = await unpublishedTenantEntries(tx, this.batchSize, minAgeMs);
          if (tenant.entries.length === 0) return 0;
          await this.broker.fanOut(tenant.entries);
          this.onDrained(tenant.entries.length);
          await markTenantSeqsPublished(tx, tenant.seqs);
          return tenant.entries.length;
        }
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT o.seq, e.user_id, e.cursor, e.envelope FROM stream_outbox o JOIN stream_events e ON e.seq = o.seq
          WHERE (hashtext(e.user_id) & 2147483647) % ${this.partitions}::int = ${partition}::int
            AND ${createdAtLeastAgo('e.created_at', minAgeMs)}
          ORDER BY o.seq
          LIMIT ${this.batchSize}
          FOR UPDATE OF o SKIP LOCKED`;
        if (rows.length === 0) return 0;
        await this.broker.fanOut(rows.map(toEntry));
        this.onDrained(rows.length);
        await tx.streamOutbox.deleteMany({ where: { seq: { in: rows.map((row) => row.seq) } } });
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
      this.sweep()
        .catch(this.onError)
        .finally(() => this.schedulePoll());
    }, this.pollIntervalMs);
    this.timer.unref();
  }
}

function toEntry(row: OutboxRow): StreamEntry {
  return { userId: row.user_id, cursor: Number(row.cursor), event: row.envelope as DomainEvent };
}
