import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '../create-prisma-client.js';
import { applyMigrations, migrationsFingerprint } from '../migrate.js';

const READY = '.pushline-template-ready';

/**
 * Fills `dataDir` with a PGlite database, migrated or empty, copied from a template folder in the OS's
 * temporary directory. PGlite's initdb runs in WebAssembly and takes seconds (20–35 s on a loaded
 * machine); copying its 40 MB folder takes a fraction of that. The template is keyed by PGlite's version
 * and the migrations' fingerprint, built once by whichever test process needs it first, and published by
 * an atomic rename, so concurrent jest workers never see a half-built one.
 */
export async function copyPgliteTemplate(dataDir: string, migrated: boolean): Promise<void> {
  const template = await ensureTemplate(migrated);
  await cp(template, dataDir, { recursive: true, force: true });
  await rm(path.join(dataDir, READY), { force: true });
}

async function ensureTemplate(migrated: boolean): Promise<string> {
  const key = migrated ? (await migrationsFingerprint()).slice(0, 16) : 'empty';
  const target = path.join(os.tmpdir(), `pushline-pglite-template-${pgliteVersion()}-${key}`);
  if (existsSync(path.join(target, READY))) return target;

  const building = await mkdtemp(path.join(os.tmpdir(), `pushline-pglite-building-${randomUUID().slice(0, 8)}-`));
  try {
    const db = await createDatabase({ dataDir: building });
    try {
      if (migrated) await applyMigrations(db);
    } finally {
      await db.dispose();
    }
    await writeFile(path.join(building, READY), '');
    await rename(building, target);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    // Another worker published the same template first (the rename found it): use theirs.
    if (existsSync(path.join(target, READY))) return target;
    throw error;
  }
  return target;
}

function pgliteVersion(): string {
  // The package's exports map hides its package.json; it sits one folder above the entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = path.join(path.dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
