import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { eventCatalog, notificationCreated } from '@pushline/domain';
import ts from 'typescript';
import { buildAsyncApiDocument, buildClientTypes } from './event-docs.builder.js';
import { GENERATED_EVENT_DOCS, renderEventDocs } from './event-docs.generator.js';
import { typeScriptOf } from './json-schema-to-typescript.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('event docs generated from the catalog', () => {
  it.each(Object.values(GENERATED_EVENT_DOCS))('%s is up to date (run `npm run docs:events`)', async (path) => {
    const expected = (await renderEventDocs(ROOT, eventCatalog)).get(path);
    expect(expected).toBeDefined();
    expect(await readFile(join(ROOT, path), 'utf8')).toBe(expected);
  });

  it('describes both channels, every catalog type with its CloudEvents envelope, and the control messages', () => {
    const doc = buildAsyncApiDocument(eventCatalog) as any;

    expect(doc.asyncapi).toBe('3.0.0');
    expect([doc.channels.stream.address, doc.channels.ws.address]).toEqual(['/api/v1/stream', '/api/v1/ws']);
    const names = [...eventCatalog.map((t) => t.name), 'stream.reset', 'stream.position', 'stream.reauth', 'stream.closed'];
    expect(Object.keys(doc.channels.stream.messages)).toEqual(names);
    expect(doc.operations.sendWsEvents.messages).toHaveLength(names.length);
    const created = doc.components.messages['notification.created'];
    expect(created.payload.allOf[1].properties.type).toEqual({ const: 'notification.created' });
    expect(created['x-pushline-delivery']).toBe('must-deliver');
    expect(doc.components.schemas.NotificationCreatedData.required).toContain('notificationId');
    expect(doc.components.schemas.CloudEventEnvelope.required).toEqual([
      'specversion', 'id', 'source', 'type', 'dataversion', 'time', 'subject', 'datacontenttype', 'data',
    ]);
    expect(doc.components.messages['presence.typing']['x-pushline-delivery']).toBe('ephemeral');
    expect(unresolvedRefs(doc)).toEqual([]);
  });

  it('client types compile, and narrow each envelope by its type', async () => {
    const usage = `
      import type { PushlineEvent, PushlineEventOf } from './client-types.js';
      export function title(e: PushlineEvent): string {
        if (e.type === 'notification.created') return e.data.title;
        if (e.type === 'notification.unread_count') return String(e.data.unread);
        return e.type;
      }
      const bad: PushlineEventOf<'notification.read'>['data']['status'] = 'archived';
    `;
    const diagnostics = await compile({ 'client-types.d.ts': buildClientTypes(eventCatalog), 'usage.ts': usage });
    // The only error is the deliberate one: the union is precise enough to reject a wrong value.
    expect(diagnostics).toEqual([expect.stringContaining(`Type '"archived"' is not assignable`)]);
  }, 60_000);

  it('maps JSON Schema payloads to TypeScript', () => {
    expect(typeScriptOf({ type: 'object', properties: { a: { type: ['string', 'null'] }, b: { type: 'array', items: { enum: [1, 2] } } }, required: ['a'] })).toBe(
      '{\n  a: string | null;\n  b?: (1 | 2)[];\n}',
    );
    expect(typeScriptOf({ not: {} })).toBe('unknown');
    expect(notificationCreated.version).toBe(2);
  });
});

function unresolvedRefs(doc: unknown): string[] {
  const missing: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const target = value.slice(2).split('/').reduce<any>((at, part) => at?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
        if (target === undefined) missing.push(value);
      } else visit(value);
    }
  };
  visit(doc);
  return missing;
}

async function compile(files: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pushline-client-types-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
      lib: ['lib.es2022.d.ts'],
    };
    const program = ts.createProgram([join(dir, 'usage.ts')], options);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
