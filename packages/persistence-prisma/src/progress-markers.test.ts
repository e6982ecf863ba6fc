import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { progressSqlOf } from './hot-sql.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

/**
 * The progress-marker connections (the relay's marks, handler job leases, audit rows): their commits
 * do not wait for the WAL flush, and their statements are planned at every execution, so a plan made
 * while `stream_events` was small never scans the grown table.
 */
describe('progress markers on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('commit without waiting for the WAL flush and plan each statement afresh, on every connection of their pool', async () => {
    const sql = progressSqlOf(db.prisma);
    // Both of the pool's connections: nothing used the pool yet, so two queries at once open two.
    const rows = await Promise.all(
      [0, 1].map(async () => {
        const [row] = await sql.query<{ pid: number; commit: string; plans: string }>(
          `SELECT pg_backend_pid() AS pid, current_setting('synchronous_commit') AS commit, current_setting('plan_cache_mode') AS plans`,
          [],
        );
        return row!;
      }),
    );

    expect(new Set(rows.map((r) => r.pid)).size).toBe(2);
    expect(rows.map(({ commit, plans }) => ({ commit, plans }))).toEqual([
      { commit: 'off', plans: 'force_custom_plan' },
      { commit: 'off', plans: 'force_custom_plan' },
    ]);
  });

  it('leave the main pool on the defaults: the write statement keeps its cached plan and waits for the flush', async () => {
    const [row] = await db.prisma.$queryRaw<{ commit: string; plans: string }[]>`
      SELECT current_setting('synchronous_commit') AS commit, current_setting('plan_cache_mode') AS plans`;
    expect(row).toEqual({ commit: 'on', plans: 'auto' });
  });
});
