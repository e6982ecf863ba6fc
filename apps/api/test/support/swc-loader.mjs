// Node module hooks that let a child process run the API's TypeScript sources directly, the way
// jest does (@swc/core strips types per file; no build step, no type check). Registered by
// api-process.ts with `--import` + `module.register`; workspace packages resolve to their sources
// through the `@pushline/source` export condition passed with `--conditions`.
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
