import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, type Database, type DatabaseKind } from '../create-prisma-client.js';
import { applyMigrations } from '../migrate.js';
import { copyPgliteTemplate } from './pglite-template.js';

export interface TestDatabase extends Omit<Database, 'dispose'> {
  /** Connection string of the PostgreSQL test database; undefined for PGlite. */
  readonly url?: string;
  /** Folder of the PGlite test database; undefined for PostgreSQL. */
  readonly dataDir?: string;
  /**
   * Closes the connections, then drops the database. With `keep: true` it only closes them, so a
   * server under test can open the same database; call `drop()` after it is done.
   */
  dispose(options?: { keep?: boolean }): Promise<void>;
  /** Drops the database (after `dispose({ keep: true })`). */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply prisma/migrations. Default true; false gives an empty database (migration tests). */
  readonly migrate?: boolean;
}

/**
 * A fresh, migrated database for one test file. PostgreSQL: `pushline_test_<random>`, created through
 * TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres). PGlite: a temporary
 * folder, copied from a template (see pglite-template.ts). No test depends on state another test or run left (the template is keyed by its contents).
 */
export async function createTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pushline-test-'));
    const drop = () => rm(dataDir, { recursive: true, force: true });
    await copyPgliteTemplate(dataDir, migrate);
    // Migrating the copy is a no-op unless the migrations changed since it was read.
    return open({ dataDir }, migrate, drop, { dataDir });
  }
  const adminUrl = process.env['TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `pushline_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await onAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => onAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return open({ url: url.toString() }, migrate, drop, { url: url.toString() });
}

async function open(
  config: { url?: string; dataDir?: string },
  migrate: boolean,
  drop: () => Promise<unknown>,
  where: { url?: string; dataDir?: string },
): Promise<TestDatabase> {
  let db: Database | undefined;
  try {
    db = await createDatabase(config);
    if (migrate) await applyMigrations(db);
  } catch (error) {
    await db?.dispose();
    await drop();
    throw error;
  }
  const opened = db;
  return {
    ...opened,
    ...where,
    async dispose(options = {}) {
      await opened.dispose();
      if (!options.keep) await drop();
    },
    drop: async () => void (await drop()),
  };
}

async function onAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
