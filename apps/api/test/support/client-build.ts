import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLIENT_DIR = path.join(repoRoot, 'packages/client');
/** The shipped bin, as `npx pushline` runs it from an installed @pushline/client. */
export const CLIENT_BIN = path.join(CLIENT_DIR, 'dist/cli/pushline.cli.js');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts'))
    .reduce((newest, f) => Math.max(newest, statSync(path.join(f.parentPath, f.name)).mtimeMs), 0);
}

/**
 * Builds @pushline/client (`npm run build` in the package) when its dist is missing or older than
 * its sources. `npm test` builds it before jest starts (.ci/lib/setup.sh), so this only does work in a
 * targeted run after an edit.
 */
export function ensureClientBuild(): void {
  let built = 0;
  try {
    built = statSync(path.join(CLIENT_DIR, 'dist/index.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newestSource(path.join(CLIENT_DIR, 'src'))) return;
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', path.join(CLIENT_DIR, 'tsconfig.lib.json')], { stdio: 'pipe' });
}
