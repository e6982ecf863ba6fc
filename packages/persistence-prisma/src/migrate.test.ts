import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, type Database } from './create-prisma-client.js';
import { applyMigrations, MigrationChecksumError } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

const repoMigrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prisma/migrations');

/** A migrations folder of its own per test; names and tables are unique so tests share one database. */
class MigrationsFolder {
  readonly tag = `t${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  private constructor(readonly dir: string) {}

  static async create(): Promise<MigrationsFolder> {
    return new MigrationsFolder(await mkdtemp(path.join(os.tmpdir(), 'pushline-migrations-')));
  }

  /** Writes `<n>_<tag>/migration.sql`; returns the migration's name. */
  async write(n: number, sql: string): Promise<string> {
    const name = `${String(n).padStart(3, '0')}_${this.tag}`;
    await mkdir(path.join(this.dir, name), { recursive: true });
    await writeFile(path.join(this.dir, name, 'migration.sql'), sql.replaceAll('$tag', this.tag));
    return name;
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

async function tableExists(db: Database, table: string): Promise<boolean> {
  const rows = await db.prisma.$queryRaw<{ found: boolean }[]>`SELECT to_regclass(${table}) IS NOT NULL AS found`;
  return rows[0]?.found === true;
}

describe.each(['pglite', 'postgres'] as const)('applyMigrations on %s', (kind) => {
  let db: TestDatabase;
  const folders: MigrationsFolder[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(kind, { migrate: false });
  });

  afterAll(async () => {
    await db?.dispose();
  });

  afterEach(async () => {
    for (const folder of folders.splice(0)) await folder.remove();
  });

  async function folder(): Promise<MigrationsFolder> {
    const created = await MigrationsFolder.create();
    folders.push(created);
    return created;
  }

  it("applies the repository's migrations from the default folder, then nothing on a second run", async () => {
    const expected = (await readdir(repoMigrations, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();

    await expect(applyMigrations(db)).resolves.toEqual(expected);
    await expect(applyMigrations(db)).resolves.toEqual([]);
    for (const table of ['users', 'notifications', 'user_streams', 'stream_events']) {
      await expect(tableExists(db, table)).resolves.toBe(true);
    }
  });

  it('runs multi-statement scripts in name order, each once, and records them', async () => {
    const migrations = await folder();
    const second = await migrations.write(2, `INSERT INTO $tag_items (label) VALUES ('b'); INSERT INTO $tag_items (label) VALUES ('c');`);
    const first = await migrations.write(1, `CREATE TABLE $tag_items (label text NOT NULL); INSERT INTO $tag_items (label) VALUES ('a');`);

    await expect(applyMigrations(db, { migrationsDir: migrations.dir })).resolves.toEqual([first, second]);
    await expect(applyMigrations(db, { migrationsDir: migrations.dir })).resolves.toEqual([]);

    const labels = await db.prisma.$queryRawUnsafe<{ label: string }[]>(`SELECT label FROM ${migrations.tag}_items ORDER BY label`);
    expect(labels.map((r) => r.label)).toEqual(['a', 'b', 'c']);
    const recorded = await db.prisma.$queryRaw<{ name: string }[]>`
      SELECT name FROM _pushline_migrations WHERE name IN (${first}, ${second}) ORDER BY name`;
    expect(recorded.map((r) => r.name)).toEqual([first, second]);
  });

  it('applies only the migration added since the last run', async () => {
    const migrations = await folder();
    await migrations.write(1, `CREATE TABLE $tag_a (id int);`);
    await applyMigrations(db, { migrationsDir: migrations.dir });
    const added = await migrations.write(2, `CREATE TABLE $tag_b (id int);`);

    await expect(applyMigrations(db, { migrationsDir: migrations.dir })).resolves.toEqual([added]);
    await expect(tableExists(db, `${migrations.tag}_b`)).resolves.toBe(true);
  });

  it('refuses to run when an applied migration changed, before applying anything new', async () => {
    const migrations = await folder();
    const edited = await migrations.write(1, `CREATE TABLE $tag_a (id int);`);
    await applyMigrations(db, { migrationsDir: migrations.dir });
    await migrations.write(1, `CREATE TABLE $tag_a (id bigint);`);
    await migrations.write(2, `CREATE TABLE $tag_b (id int);`);

    const run = applyMigrations(db, { migrationsDir: migrations.dir });

    await expect(run).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(run).rejects.toMatchObject({ migration: edited });
    await expect(tableExists(db, `${migrations.tag}_b`)).resolves.toBe(false);
  });

  it('rolls a failing migration back whole and does not record it', async () => {
    const migrations = await folder();
    const good = await migrations.write(1, `CREATE TABLE $tag_a (id int);`);
    const bad = await migrations.write(2, `CREATE TABLE $tag_b (id int); SELECT no_such_function();`);

    await expect(applyMigrations(db, { migrationsDir: migrations.dir })).rejects.toThrow(/no_such_function/);

    await expect(tableExists(db, `${migrations.tag}_a`)).resolves.toBe(true);
    await expect(tableExists(db, `${migrations.tag}_b`)).resolves.toBe(false);
    const recorded = await db.prisma.$queryRaw<{ name: string }[]>`
      SELECT name FROM _pushline_migrations WHERE name IN (${good}, ${bad})`;
    expect(recorded.map((r) => r.name)).toEqual([good]);
  });

  if (kind === 'postgres') {
    it('applies each migration exactly once when several processes start together', async () => {
      const migrations = await folder();
      const names = [
        await migrations.write(1, `CREATE TABLE $tag_a (id int);`),
        await migrations.write(2, `CREATE TABLE $tag_b (id int); SELECT pg_sleep(0.05);`),
        await migrations.write(3, `CREATE TABLE $tag_c (id int);`),
      ];
      const processes = await Promise.all(Array.from({ length: 4 }, () => createDatabase({ url: db.url! })));
      try {
        const applied = await Promise.all(processes.map((p) => applyMigrations(p, { migrationsDir: migrations.dir })));

        expect(applied.flat().sort()).toEqual(names);
      } finally {
        await Promise.all(processes.map((p) => p.dispose()));
      }
    });
  }
});
