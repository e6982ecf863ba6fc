import type { PrismaClient } from './generated/prisma/client.js';
import { writeInOneStatement, type PendingWrites, type WrittenUnit } from './single-statement-write.js';
import type { WebhookOutboxPlan } from './webhook-outbox.js';

interface Waiting {
  readonly writes: PendingWrites;
  readonly resolve: (written: WrittenUnit) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: units of work that finish while `maxInFlight` statements are already running wait
 * and are then written together, in one statement (which is atomic on its own). Under load one round
 * trip carries many units; an idle server writes each unit at once. If a group fails, each of its
 * units is written alone, so one unit's error (say, a stale read or a deleted user) never fails its
 * neighbours.
 */
export class GroupCommitWriter {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxInFlight = 4,
    /** Most units in one statement. */
    private readonly maxGroup = 64,
    private readonly webhooks?: WebhookOutboxPlan,
  ) {}

  write(writes: PendingWrites): Promise<WrittenUnit> {
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
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
    }
    return group;
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [unit] = group as [Waiting];
      await writeInOneStatement(this.prisma, unit.writes, this.webhooks).then(unit.resolve, unit.reject);
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
      written = await writeInOneStatement(this.prisma, merged, this.webhooks);
    } catch {
      for (const unit of group) await writeInOneStatement(this.prisma, unit.writes, this.webhooks).then(unit.resolve, unit.reject);
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
