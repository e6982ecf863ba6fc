import type { PendingWrites, WrittenUnit } from './single-statement-write.js';

interface Waiting {
  readonly writes: PendingWrites;
  readonly resolve: (written: WrittenUnit) => void;
  readonly reject: (error: unknown) => void;
}

/** Writes one unit, or several merged, as one statement (`writeInOneStatement` bound to its client). */
export type StatementWriter = (writes: PendingWrites) => Promise<WrittenUnit>;

export interface GroupCommitOptions {
  /** Most statements running at once. Keep it below the connection pool's size. Default 1. */
  readonly maxInFlight?: number;
  /** Most units in one statement. Default 64. */
  readonly maxGroup?: number;
  /**
   * A statement beyond the first starts only while the units waiting hold at least this many stream
   * rows. Default 200. A statement's commit (its WAL flush) costs the same for one unit or forty, so
   * small units share one statement at a time; but its execution grows with its rows, on one database
   * backend, so a large backlog is split over `maxInFlight` backends instead of queueing behind one.
   */
  readonly parallelRows?: number;
}

/**
 * Group commit: units of work that finish while a statement is running wait and are then written
 * together, in one statement (which is atomic on its own). Under load one round trip carries many
 * units; an idle server writes each unit at once. If a group fails, each of its units is written
 * alone, so one unit's error (say, a stale read or a deleted user) never fails its neighbours.
 */
export class GroupCommitWriter {
  private readonly queue: Waiting[] = [];
  /** Stream rows of the units in `queue`. */
  private queuedRows = 0;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxGroup: number;
  private readonly parallelRows: number;

  constructor(
    private readonly writeStatement: StatementWriter,
    options: GroupCommitOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 1;
    this.maxGroup = options.maxGroup ?? 64;
    this.parallelRows = options.parallelRows ?? 200;
  }

  write(writes: PendingWrites): Promise<WrittenUnit> {
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      this.queuedRows += writes.rows.length;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight && (this.inFlight === 0 || this.queuedRows >= this.parallelRows)) {
      const group = this.takeGroup();
      this.inFlight += 1;
      void this.run(group).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  /**
   * The oldest units that touch disjoint counter rows, notifications and idempotency keys: one
   * statement may change a row only once, and two units of one user must be checked one after the other.
   */
  private takeGroup(): Waiting[] {
    const taken = new Set<string>();
    const group: Waiting[] = [];
    for (let i = 0; i < this.queue.length && group.length < this.maxGroup; ) {
      const unit = this.queue[i]!;
      const keys = keysOf(unit.writes);
      if (group.length > 0 && keys.some((k) => taken.has(k))) {
        i += 1;
        continue;
      }
      for (const k of keys) taken.add(k);
      group.push(unit);
      this.queue.splice(i, 1);
      this.queuedRows -= unit.writes.rows.length;
    }
    return group;
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [unit] = group as [Waiting];
      await this.writeStatement(unit.writes).then(unit.resolve, unit.reject);
      return;
    }
    const all = group.map((u) => u.writes);
    const merged: PendingWrites = {
      counters: all.flatMap((w) => w.counters),
      created: all.flatMap((w) => w.created),
      updated: all.flatMap((w) => w.updated),
      removed: all.flatMap((w) => w.removed),
      claims: all.flatMap((w) => w.claims),
      rows: all.flatMap((w) => w.rows),
      jobs: all.flatMap((w) => w.jobs),
      audits: all.flatMap((w) => w.audits),
    };
    let written: WrittenUnit;
    try {
      written = await this.writeStatement(merged);
    } catch {
      for (const unit of group) await this.writeStatement(unit.writes).then(unit.resolve, unit.reject);
      return;
    }
    let at = 0;
    for (const unit of group) {
      // The group's job and delivery counts go to every unit: each only decides whether to nudge a worker.
      unit.resolve({ ...written, entries: written.entries.slice(at, at + unit.writes.rows.length) });
      at += unit.writes.rows.length;
    }
  }
}

function keysOf(w: PendingWrites): string[] {
  return [
    ...w.counters.map((c) => `c:${c.userId}`),
    ...w.created.map((n) => `n:${n.id}`),
    ...w.updated.map((n) => `n:${n.id}`),
    ...w.removed.map((n) => `n:${n.id}`),
    ...w.claims.map((k) => `k:${k.scope}\u0000${k.key}`),
  ];
}
