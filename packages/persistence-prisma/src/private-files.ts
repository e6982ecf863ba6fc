import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Makes `dir` and everything in it private to the owner (directories 0700, files 0600). PGlite writes
 * its files world-writable (0666) whatever the umask, so this runs after it opens and after it closes;
 * files it creates in between sit in a 0700 directory that no one else can enter.
 */
export async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makePrivate(path);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}

/** Creates `dir` (and missing parents) private to the owner, or makes an existing one private. */
export async function ensurePrivateDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}
