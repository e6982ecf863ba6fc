import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_DIR, ensureClientBuild } from '../support/client-build.js';

/** @pushline/client as published: the build resolves through `exports`, and the browser build loads as-is. */
describe('@pushline/client package', () => {
  beforeAll(() => ensureClientBuild(), 120_000);

  it('Node resolves the built package through its exports (the node entry, with eventsource)', () => {
    const script = `
      import * as sdk from '@pushline/client';
      const resolved = import.meta.resolve('@pushline/client');
      console.log(JSON.stringify({ resolved, create: typeof sdk.createPushlineClient, api: typeof sdk.createPushlineApi, store: typeof sdk.createInboxStore, types: sdk.PUSHLINE_EVENT_TYPES.length }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: CLIENT_DIR, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result).toEqual({ resolved: expect.stringMatching(/packages\/client\/dist\/node\.js$/), create: 'function', api: 'function', store: 'function', types: expect.any(Number) });
  });

  it('the browser entry and everything it imports use relative imports only (loadable as plain ES modules)', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
        expect(specifier).toMatch(/^\.\.?\//);
        visit(path.resolve(path.dirname(file), specifier!));
      }
    };
    visit(path.join(CLIENT_DIR, 'dist/index.js'));
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].some((f) => f.endsWith('node.js'))).toBe(false);
  });

  it('is publishable: not private, ESM with types, only eventsource at run time', () => {
    const pkg = JSON.parse(readFileSync(path.join(CLIENT_DIR, 'package.json'), 'utf8')) as Record<string, any>;
    expect(pkg.private).toBeUndefined();
    expect(pkg.type).toBe('module');
    expect(Object.keys(pkg.dependencies)).toEqual(['eventsource']);
    expect(pkg.exports['.']).toMatchObject({ types: './dist/index.d.ts', node: './dist/node.js', default: './dist/index.js' });
    expect(pkg.bin.pushline).toBe('./dist/cli/pushline.cli.js');
    expect(readFileSync(path.join(CLIENT_DIR, 'dist/index.d.ts'), 'utf8')).toContain('createPushlineClient');
  });
});
