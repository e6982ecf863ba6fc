import { describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@pushline/domain';
import { GroupCommitWriter } from './group-commit-writer.js';
import type { PendingWrites, WrittenUnit } from './single-statement-write.js';

/** A unit of `rows` stream rows for `userId` (its counter row is what makes two units of one user conflict). */
function unitOf(userId: string, rows: number): PendingWrites {
  const event = { id: `e-${userId}-${rows}` } as DomainEvent;
  return {
    counters: [{ userId, expected: 0, steps: 1 }],
    created: [],
    updated: [],
    removed: [],
    claims: [],
    rows: Array.from({ length: rows }, () => ({ userId, event })),
    jobs: [],
    audits: [],
  };
}

/** A statement writer whose statements end when the test says so; it records each statement's units. */
function heldStatements() {
  const started: { users: string[]; finish: () => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const write = (writes: PendingWrites): Promise<WrittenUnit> =>
    new Promise((resolve) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      started.push({
        users: writes.counters.map((c) => c.userId),
        finish: () => {
          running -= 1;
          resolve({ entries: writes.rows.map((r, i) => ({ userId: r.userId, cursor: i + 1, event: r.event })), handlerJobs: 0, webhookDeliveries: 0 });
        },
      });
    });
  return { write, started, mostAtOnce: () => mostAtOnce };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('GroupCommitWriter', () => {
  it('writes small units one statement at a time: those that wait share the next one', async () => {
    const statements = heldStatements();
    const writer = new GroupCommitWriter(statements.write, { maxInFlight: 2, parallelRows: 100 });

    const first = writer.write(unitOf('u1', 2));
    const waiting = ['u2', 'u3', 'u4'].map((u) => writer.write(unitOf(u, 2)));
    await settle();
    // Six rows wait, under the 100 that would start a second statement.
    expect(statements.started.map((s) => s.users)).toEqual([['u1']]);

    statements.started[0]!.finish();
    await first;
    await settle();
    expect(statements.started.map((s) => s.users)).toEqual([['u1'], ['u2', 'u3', 'u4']]);
    statements.started[1]!.finish();
    const written = await Promise.all(waiting);
    // Each unit gets its own entries back from the shared statement.
    expect(written.map((w) => w.entries.map((e) => e.userId))).toEqual([['u2', 'u2'], ['u3', 'u3'], ['u4', 'u4']]);
    expect(statements.mostAtOnce()).toBe(1);
  });

  it('starts a second statement while a backlog of parallelRows rows waits, never more than maxInFlight', async () => {
    const statements = heldStatements();
    const writer = new GroupCommitWriter(statements.write, { maxInFlight: 2, parallelRows: 100 });

    const first = writer.write(unitOf('u1', 40));
    const second = writer.write(unitOf('u2', 40));
    await settle();
    // 40 rows wait: below the threshold, so behind the running statement.
    expect(statements.started).toHaveLength(1);

    const third = writer.write(unitOf('u3', 40));
    const fourth = writer.write(unitOf('u4', 40));
    await settle();
    // 120 rows wait: the three waiting units go together in a second statement beside the first.
    expect(statements.started.map((s) => s.users)).toEqual([['u1'], ['u2', 'u3', 'u4']]);

    const rest = [writer.write(unitOf('u5', 60)), writer.write(unitOf('u6', 60))];
    await settle();
    // Two statements run already: the 120 rows that wait now go next, not in a third one.
    expect(statements.started).toHaveLength(2);
    statements.started[0]!.finish();
    await first;
    await settle();
    expect(statements.started.map((s) => s.users)).toEqual([['u1'], ['u2', 'u3', 'u4'], ['u5', 'u6']]);
    for (const s of statements.started.slice(1)) s.finish();
    await Promise.all([second, third, fourth, ...rest]);
    expect(statements.mostAtOnce()).toBe(2);
  });

  it('keeps two units of one user out of one statement: the second waits for the next', async () => {
    const statements = heldStatements();
    const writer = new GroupCommitWriter(statements.write, { maxInFlight: 1 });

    const units = [writer.write(unitOf('u1', 1)), writer.write(unitOf('u1', 1)), writer.write(unitOf('u2', 1)), writer.write(unitOf('u1', 1))];
    for (let i = 0; i < 3; i++) {
      await settle();
      statements.started[i]!.finish();
    }
    await Promise.all(units);
    // Oldest first; a unit whose counter row the group already changes waits for the next statement.
    expect(statements.started.map((s) => s.users)).toEqual([['u1'], ['u1', 'u2'], ['u1']]);
  });
});
