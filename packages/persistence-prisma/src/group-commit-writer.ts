import type { StreamEntry } from '@pushline/domain';
import type { PrismaClient } from './generated/prisma/client.js';
import { writeInOneStatement, type PendingWrites } from './single-statement-write.js';

interface Waiting {
  readonly writes: PendingWrites;
  readonly resolve: (entries: StreamEntry[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: units of work that finish while `maxInFlight` statements are already running wait
 * and are then written together, in one statement (which is atomic on its own). Under load one round
 * trip carries many units; an idle server writes each unit at once. If a group fails, each of its
 * units is written alone, so one unit's error (say, a deleted user) never fails its neighbours.
 */
export class GroupCommitWriter {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxInFlight = 4,
    /** Most units in one statement. */
    private readonly maxGroup = 64,
  ) {}

  write(writes: PendingWrites): Promise<StreamEntry[]> {
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

  /** The oldest units whose notifications do not overlap (one statement may upsert a row only once). */
  private takeGroup(): Waiting[] {
    const ids = new Set<string>();
    const group: Waiting[] = [];
    for (let i = 0; i < this.queue.length && group.length < this.maxGroup; ) {
      const unit = this.queue[i]!;
      if (unit.writes.notifications.some((n) => ids.has(n.id))) {
        i += 1;
        continue;
      }
      for (const n of unit.writes.notifications) ids.add(n.id);
      group.push(unit);
      this.queue.splice(i, 1);
    }
    return group;
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [unit] = group as [Waiting];
      await writeInOneStatement(this.prisma, unit.writes).then(unit.resolve, unit.reject);
      return;
    }
    const merged: PendingWrites = {
      notifications: group.flatMap((u) => u.writes.notifications),
      rows: group.flatMap((u) => u.writes.rows),
    };
    try {
      const entries = await writeInOneStatement(this.prisma, merged);
      let at = 0;
      for (const unit of group) {
        unit.resolve(entries.slice(at, at + unit.writes.rows.length));
        at += unit.writes.rows.length;
      }
    } catch {
      for (const unit of group) await writeInOneStatement(this.prisma, unit.writes).then(unit.resolve, unit.reject);
    }
  }
}
