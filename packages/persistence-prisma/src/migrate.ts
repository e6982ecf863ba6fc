import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './create-prisma-client.js';

export interface MigrationOptions {
  /**
   * Folder holding `<name>/migration.sql`, applied in name order. Default: the repository's
   * `prisma/migrations`, found by walking up from this module (works from `src` and `dist`).
   */
  readonly migrationsDir?: string;
}

/** An applied migration's file changed since: the database no longer matches the history in the repo. */
export class MigrationChecksumError extends Error {
  constructor(
    readonly migration: string,
    readonly appliedChecksum: string,
    readonly fileChecksum: string,
  ) {
    super(
      `migration ${migration} was applied with checksum ${appliedChecksum}, but its file now has ${fileChecksum}; ` +
        'applied migrations must never be edited: restore the file and add a new migration instead',
    );
    this.name = 'MigrationChecksumError';
  }
}

interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

interface Sql {
  /** Runs a script that may hold several statements. */
  script(sql: string): Promise<void>;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A transaction that, on PostgreSQL, holds the migration lock until it ends. */
type InLockedTransaction = <T>(work: (sql: Sql) => Promise<T>) => Promise<T>;

const HISTORY_TABLE = '_pushline_migrations';
// Advisory lock id: the ASCII bytes of "pushline" read as a 64-bit integer.
const LOCK_KEY = '8103509996855717477';

/**
 * Applies every migration under `prisma/migrations` that this database has not run yet, each once, in
 * name order, each in its own transaction, recorded in `_pushline_migrations`. Several processes may
 * start at once: on PostgreSQL every step holds a transaction-level advisory lock; PGlite has one
 * connection. Refuses to run when an applied migration's file changed. Returns the names it applied.
 */
export async function applyMigrations(db: Database, options: MigrationOptions = {}): Promise<string[]> {
  const files = await readMigrations(options.migrationsDir ?? findMigrationsDir());
  return withLockedTransactions(db, async (inTransaction) => {
    const applied = await inTransaction(async (sql) => {
      await sql.script(
        `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
           name text PRIMARY KEY,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      return sql.rows<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${HISTORY_TABLE}`);
    });
    const appliedChecksums = new Map(applied.map((row) => [row.name, row.checksum]));
    // Verify the whole history before changing anything.
    for (const file of files) verifyChecksum(file, appliedChecksums.get(file.name));

    const newlyApplied: string[] = [];
    for (const file of files.filter((f) => !appliedChecksums.has(f.name))) {
      const ran = await inTransaction(async (sql) => {
        // Another process may have applied it while we waited for the lock.
        const [row] = await sql.rows<{ checksum: string }>(`SELECT checksum FROM ${HISTORY_TABLE} WHERE name = $1`, [
          file.name,
        ]);
        if (row) return verifyChecksum(file, row.checksum);
        await sql.script(file.sql);
        await sql.rows(`INSERT INTO ${HISTORY_TABLE} (name, checksum) VALUES ($1, $2)`, [file.name, file.checksum]);
        return true;
      });
      if (ran) newlyApplied.push(file.name);
    }
    return newlyApplied;
  });
}

/** One checksum over every migration's name and SQL: changes whenever a migration is added or edited. */
export async function migrationsFingerprint(migrationsDir: string = findMigrationsDir()): Promise<string> {
  const files = await readMigrations(migrationsDir);
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.name}\n${file.checksum}\n`);
  return hash.digest('hex');
}

function verifyChecksum(file: MigrationFile, applied: string | undefined): false {
  if (applied !== undefined && applied !== file.checksum) {
    throw new MigrationChecksumError(file.name, applied, file.checksum);
  }
  return false;
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`migration folder ${name} has no migration.sql (${file})`);
      const sql = await readFile(file, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

function findMigrationsDir(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`no prisma/migrations folder above ${start}; pass migrationsDir to applyMigrations`);
    }
  }
}

async function withLockedTransactions<T>(db: Database, work: (tx: InLockedTransaction) => Promise<T>): Promise<T> {
  const driver = db.driver;
  if (driver.kind === 'pglite') {
    return work((inner) =>
      driver.pglite.transaction((tx) =>
        inner({
          script: async (sql) => void (await tx.exec(sql)),
          rows: async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows,
        }),
      ),
    );
  }
  // One dedicated connection: BEGIN, the lock, the script and COMMIT must share it. A query without
  // parameters uses pg's simple protocol, which accepts several statements.
  const client = await driver.pool.connect();
  try {
    return await work(async (inner) => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
        const result = await inner({
          script: async (sql) => void (await client.query(sql)),
          rows: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
  } finally {
    client.release();
  }
}
