import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * A throw-away copy of the sources a generator writes into and the API runs from: every package's
 * sources (without its tests), the api app with its test support, prisma/, docs/ and the root configs.
 * Its node_modules links every dependency to this repository's, except the workspace packages, which
 * point into the copy, so what the generators write there is what the copy imports.
 */
export async function copySources(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'pushline-generators-'));
  const noTests = (source: string) => !source.endsWith('.test.ts') && !source.includes('/dist') && !source.includes('node_modules');
  const workspaces: [string, string][] = [];
  for (const name of await readdir(join(REPO_ROOT, 'packages'))) {
    const dir = join(REPO_ROOT, 'packages', name);
    await cp(join(dir, 'src'), join(root, 'packages', name, 'src'), { recursive: true, filter: noTests });
    await cp(join(dir, 'package.json'), join(root, 'packages', name, 'package.json'));
    workspaces.push([await packageName(dir), join(root, 'packages', name)]);
  }
  const api = join(REPO_ROOT, 'apps/api');
  for (const part of ['src', 'public', 'package.json']) await cp(join(api, part), join(root, 'apps/api', part), { recursive: true, filter: noTests });
  await cp(join(api, 'test/support'), join(root, 'apps/api/test/support'), { recursive: true });
  workspaces.push([await packageName(api), join(root, 'apps/api')]);
  for (const part of ['prisma', 'docs', 'package.json', 'tsconfig.base.json', 'tsconfig.json']) {
    await cp(join(REPO_ROOT, part), join(root, part), { recursive: true });
  }

  await mkdir(join(root, 'node_modules/@pushline'), { recursive: true });
  for (const entry of await readdir(join(REPO_ROOT, 'node_modules'))) {
    if (entry !== '@pushline' && entry !== '.bin') await symlink(join(REPO_ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  for (const [name, dir] of workspaces) await symlink(dir, join(root, 'node_modules', name));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

async function packageName(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string }).name;
}
