import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createDatabase } from './create-prisma-client.js';

async function modesUnder(dir: string): Promise<number[]> {
  const modes = [(await stat(dir)).mode & 0o777];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    modes.push(...(entry.isDirectory() ? await modesUnder(path) : [(await stat(path)).mode & 0o777]));
  }
  return modes;
}

describe('the embedded database files', () => {
  let parent: string | undefined;

  afterEach(async () => {
    if (parent) await rm(parent, { recursive: true, force: true });
  });

  // Finding 10 of issue #9: PGlite wrote them 0666, readable and writable by every local user.
  it('are private to the owner (0700 directories, 0600 files) while open and after closing', async () => {
    parent = await mkdtemp(join(tmpdir(), 'pushline-perms-'));
    const dataDir = join(parent, 'data');
    const db = await createDatabase({ dataDir });
    await db.prisma.$queryRaw`SELECT 1`;

    const open = await modesUnder(dataDir);
    expect(open.length).toBeGreaterThan(10);
    expect(open.filter((mode) => (mode & 0o077) !== 0)).toEqual([]);

    await db.dispose();
    expect((await modesUnder(dataDir)).filter((mode) => (mode & 0o077) !== 0)).toEqual([]);
    // A fresh database applies every migration (not the test template): over 30 s on two busy cores.
  }, 120_000);
});
