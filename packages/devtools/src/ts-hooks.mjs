// Node module hooks for running TypeScript sources the way jest does: @swc/core strips types per
// file (no build, no type check). Workspace packages resolve to their sources through
// `--conditions=@pushline/source`. Used by the devtools' CLIs and by the API child processes of the
// fault and multi-instance tests (decision 6); register with `--import ./packages/devtools/src/register-ts.mjs`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

let swc;

/** `./x.js` in a TypeScript source means `./x.ts`, as under NodeNext resolution. */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const fromTs = context.parentURL?.endsWith('.ts') && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js');
    if (!fromTs) throw error;
    return next(specifier.slice(0, -3) + '.ts', context);
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.endsWith('.d.ts')) return next(url, context);
  swc ??= (await import('@swc/core')).default;
  const filename = fileURLToPath(url);
  const { code } = await swc.transform(await readFile(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
