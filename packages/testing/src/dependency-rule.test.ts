import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dependency rule, enforced: domain imports nothing of ours; application (the use cases) and the
 * stream engine (the delivery engine) each only domain, not each other; adapters implement ports
 * (domain, application, engine); apps compose. Tags come from each project.json, as Nx's
 * enforce-module-boundaries would read them.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

type Tag = 'type:domain' | 'type:application' | 'type:engine' | 'type:adapter' | 'type:app' | 'type:testing' | 'type:tooling' | 'type:client';

const MAY_DEPEND_ON: Record<Tag, readonly Tag[]> = {
  'type:domain': [],
  'type:application': ['type:domain'],
  'type:engine': ['type:domain'],
  'type:adapter': ['type:domain', 'type:application', 'type:engine'],
  'type:app': ['type:domain', 'type:application', 'type:engine', 'type:adapter'],
  'type:testing': ['type:domain', 'type:application', 'type:engine', 'type:adapter'],
  // Developer tooling (generators) reads the catalog; nothing imports tooling (checked below).
  'type:tooling': ['type:domain'],
  // Published clients (SDK, React bindings) stand alone: they reach the server only over HTTP.
  'type:client': ['type:client'],
};

/** Third-party packages a layer may use. The domain, application and engine stay framework-free. */
const THIRD_PARTY: Partial<Record<Tag, readonly string[]>> = {
  'type:domain': ['zod'],
  'type:application': [],
  'type:engine': [],
  'type:client': ['eventsource', 'react'],
};

interface Project {
  readonly name: string;
  readonly dir: string;
  readonly tag: Tag;
}

function projects(): Project[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((d) => d.isDirectory() && readdirSync(join(ROOT, group, d.name)).includes('project.json'))
      .map((d) => {
        const dir = join(ROOT, group, d.name);
        const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
        const { tags } = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as { tags: string[] };
        const tag = tags.find((t) => t.startsWith('type:')) as Tag;
        return { name, dir, tag };
      }),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.parentPath.includes('generated'))
    .map((f) => join(f.parentPath, f.name));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

const NODE_BUILTINS = new Set(builtinModules);

function violationsOf(project: Project, file: string, specifiers: readonly string[]): string[] {
  // Test support (fixtures, test database helpers) lives in `testing/` folders and is test code too.
  const isTest = file.endsWith('.test.ts') || file.includes('/testing/');
  const where = relative(ROOT, file);
  const violations: string[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) {
      if (!resolve(dirname(file), specifier).startsWith(project.dir)) {
        violations.push(`${where}: relative import leaves the package: ${specifier}`);
      }
      continue;
    }
    const name = packageOf(specifier);
    const ours = byName.get(name);
    if (ours) {
      if (ours === project) violations.push(`${where}: imports its own package by name: ${specifier}`);
      else if (ours.tag === 'type:tooling' && project.tag !== 'type:tooling') violations.push(`${where}: imports tooling ${name}`);
      else if (ours.tag === 'type:testing') {
        if (!isTest && project.tag !== 'type:testing') violations.push(`${where}: production code imports test support ${name}`);
      } else if (!isTest && !MAY_DEPEND_ON[project.tag].includes(ours.tag)) {
        violations.push(`${where}: ${project.tag} may not import ${ours.tag} (${name})`);
      }
      continue;
    }
    if (isTest) continue;
    const builtin = specifier.startsWith('node:') || NODE_BUILTINS.has(name);
    const allowed = THIRD_PARTY[project.tag];
    if (allowed && !builtin && !allowed.includes(name)) violations.push(`${where}: ${project.tag} may not import the library ${name}`);
    if (project.tag === 'type:domain' && builtin) violations.push(`${where}: domain imports ${specifier}`);
  }
  return violations;
}
const all = projects();
const byName = new Map(all.map((p) => [p.name, p]));

describe('dependency rule', () => {
  it('finds every project with a type tag', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const p of all) expect(Object.keys(MAY_DEPEND_ON)).toContain(p.tag);
  });

  for (const project of all) {
    it(`${project.name} (${project.tag}) imports only what its layer may`, () => {
      const violations = sourceFiles(join(project.dir, 'src')).flatMap((file) => violationsOf(project, file, importsOf(file)));
      expect(violations).toEqual([]);
    });
  }

  it('reports imports that break the rule (the check itself can fail)', () => {
    const project = (tag: Tag): Project => ({ name: `@fixture/${tag}`, dir: join(ROOT, 'packages/fixture'), tag });
    const file = join(ROOT, 'packages/fixture/src/thing.ts');
    expect(violationsOf(project('type:domain'), file, ['@pushline/application', 'express', 'node:fs', '../../other/x.js'])).toEqual([
      'packages/fixture/src/thing.ts: type:domain may not import type:application (@pushline/application)',
      'packages/fixture/src/thing.ts: type:domain may not import the library express',
      'packages/fixture/src/thing.ts: domain imports node:fs',
      'packages/fixture/src/thing.ts: relative import leaves the package: ../../other/x.js',
    ]);
    expect(violationsOf(project('type:application'), file, ['@pushline/delivery-sse', '@pushline/testing'])).toHaveLength(2);
    expect(violationsOf(project('type:engine'), file, ['@pushline/application', '@pushline/delivery-ws', 'ws', '@pushline/domain'])).toEqual([
      'packages/fixture/src/thing.ts: type:engine may not import type:application (@pushline/application)',
      'packages/fixture/src/thing.ts: type:engine may not import type:adapter (@pushline/delivery-ws)',
      'packages/fixture/src/thing.ts: type:engine may not import the library ws',
    ]);
    expect(violationsOf(project('type:application'), file, ['@pushline/stream-engine'])).toEqual([
      'packages/fixture/src/thing.ts: type:application may not import type:engine (@pushline/stream-engine)',
    ]);
    expect(violationsOf(project('type:adapter'), file, ['@pushline/stream-engine', '@pushline/application'])).toEqual([]);
    expect(violationsOf(project('type:adapter'), join(ROOT, 'packages/fixture/src/thing.test.ts'), ['@pushline/testing'])).toEqual([]);
    expect(violationsOf(project('type:app'), file, ['@pushline/devtools'])).toEqual([
      'packages/fixture/src/thing.ts: imports tooling @pushline/devtools',
    ]);
    expect(violationsOf(project('type:tooling'), file, ['@pushline/application'])).toHaveLength(1);
  });
});
