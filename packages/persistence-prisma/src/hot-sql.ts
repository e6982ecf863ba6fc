import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PrismaClient } from './generated/prisma/client.js';
import type { PrismaExecutor } from './prisma-executor.js';

/**
 * The few statements every create or request runs (the write statement, the counter read, session and
 * user lookups, handler jobs, the relay's "mark published"): raw SQL with positional parameters. Result
 * columns must be read with `Number()` / `String()`: int8 arrives as a string through `pg`, as a bigint
 * through Prisma.
 */
export interface HotSql {
  query<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
}

/**
 * On PostgreSQL, the driver under Prisma's adapter (the same pool) with named prepared statements.
 * Measured on this project's machine, one point read costs ~600–1,000 µs of CPU through a Prisma model
 * call, ~200–360 µs through `$queryRawUnsafe` (the request still goes through the client runtime and
 * its wasm query compiler) and ~30–60 µs through the prepared `pg` query (decision 0043).
 */
export function preparedPgSql(pool: pg.Pool): HotSql {
  const names = new Map<string, string>();
  return {
    async query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
      let name = names.get(sql);
      if (!name) names.set(sql, (name = `pl_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`));
      const result = await pool.query({ name, text: sql, values: params as unknown[] });
      return result.rows as T[];
    },
  };
}

/** Everywhere else (PGlite, a client without a registered pool): Prisma's raw query. */
export function prismaRawSql(db: PrismaExecutor): HotSql {
  return { query: <T>(sql: string, params: readonly unknown[]) => db.$queryRawUnsafe<T[]>(sql, ...params) };
}

const registered = new WeakMap<object, HotSql>();
const progress = new WeakMap<object, HotSql>();

/**
 * `createDatabase` registers its PostgreSQL pool for the client it made, and a second small pool whose
 * sessions commit without waiting for the WAL flush, for progress markers (below).
 */
export function registerHotSql(prisma: PrismaClient, sql: HotSql, progressMarkers?: HotSql): void {
  registered.set(prisma, sql);
  if (progressMarkers) progress.set(prisma, progressMarkers);
}

/**
 * For writes whose loss in a crash only makes at-least-once work run again: the relay's "published"
 * marks, a handler job's lease and "done", the audit handler's row (keyed by event id). They commit with
 * `synchronous_commit = off` (decision 0044): no fsync of their own, while every unit of work's write
 * still waits for its flush. WAL order is kept, so a mark is never durable while what it marks is lost.
 */
export function progressSqlOf(db: PrismaExecutor): HotSql {
  return progress.get(db) ?? hotSqlOf(db);
}

/**
 * The hot-statement runner of `db`: the registered pool for a client `createDatabase` made on
 * PostgreSQL, else Prisma's raw query on `db` itself. A transaction client is never registered, so
 * statements inside an interactive transaction stay in it.
 */
export function hotSqlOf(db: PrismaExecutor): HotSql {
  return registered.get(db) ?? prismaRawSql(db);
}

/** Whether `db` is a client (not a transaction) with a registered pool: batching its reads is safe. */
export function isRootClient(db: PrismaExecutor): boolean {
  return registered.has(db);
}
