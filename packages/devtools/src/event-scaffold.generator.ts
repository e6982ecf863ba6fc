import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { DeliveryPolicy } from '@pushline/domain';
import { eventNamesOf, type EventNames } from './event-name.js';
import { payloadFieldsOf, sampleValueOf, zodSourceOf, type PayloadField } from './payload-fields.js';

export const DELIVERY_POLICIES: readonly DeliveryPolicy[] = ['must-deliver', 'latest-wins', 'ephemeral'];

export interface ScaffoldRequest {
  /** Dotted type name, e.g. `order.shipped`. */
  readonly type: string;
  readonly policy?: DeliveryPolicy;
  /** Payload fields beside `userId`, as `name:kind[?]` (`orderId:string`, `trackingUrl:url?`). */
  readonly fields?: readonly string[];
  /** What happened, and what a device does with it (AsyncAPI, client types, docs). */
  readonly description?: string;
}

export interface ScaffoldResult {
  readonly names: EventNames;
  /** Paths relative to the root. */
  readonly created: readonly string[];
  readonly changed: readonly string[];
}

const DOMAIN_SRC = 'packages/domain/src';
const CATALOG = `${DOMAIN_SRC}/events/event-catalog.ts`;
const DOMAIN_INDEX = `${DOMAIN_SRC}/index.ts`;
const EVENTS_DOC = 'docs/events.md';
const CATALOG_END = '] as const;';
export const DOCS_CATALOG_START = '<!-- event-catalog:start -->';
export const DOCS_CATALOG_END = '<!-- event-catalog:end -->';

/**
 * Adds an event type to the tree under `root`: its declaration beside its aggregate, the catalog
 * entry, the domain export, a unit test and a row in docs/events.md. Everything it writes compiles
 * as written; the payload schema is a one-field placeholder for the author to fill in.
 */
export async function scaffoldEventType(root: string, request: ScaffoldRequest): Promise<ScaffoldResult> {
  const names = eventNamesOf(request.type);
  const policy = request.policy ?? 'must-deliver';
  if (!DELIVERY_POLICIES.includes(policy)) throw new Error(`--policy must be one of ${DELIVERY_POLICIES.join(', ')}`);
  const fields = payloadFieldsOf(request.fields ?? []);
  const description = request.description?.trim() || PLACEHOLDER_DESCRIPTION;
  if (/['\\\n|]/.test(description)) throw new Error('--description must not contain quotes, backslashes, | or line breaks');

  const declaration = `${DOMAIN_SRC}/${names.area}/${names.fileBase}.event.ts`;
  const test = `${DOMAIN_SRC}/${names.area}/${names.fileBase}.event.test.ts`;
  const catalog = await readFile(join(root, CATALOG), 'utf8');
  if (catalog.includes(`'${names.type}'`) || new RegExp(`\\b${names.constName}\\b`).test(catalog)) {
    throw new Error(`${names.type} is already in the catalog`);
  }
  for (const file of [declaration, test]) {
    if (existsSync(join(root, file))) throw new Error(`${file} already exists`);
  }
  // Read and check everything before writing anything, so a refusal leaves the tree as it was.
  const index = await readFile(join(root, DOMAIN_INDEX), 'utf8');
  const doc = existsSync(join(root, EVENTS_DOC)) ? await readFile(join(root, EVENTS_DOC), 'utf8') : undefined;
  const newCatalog = registerInCatalog(catalog, names);

  await writeNew(root, declaration, declarationSource(names, policy, fields, description));
  await writeNew(root, test, testSource(names, fields));
  await writeFile(join(root, CATALOG), newCatalog);
  await writeFile(join(root, DOMAIN_INDEX), `${index.trimEnd()}\nexport * from './${names.area}/${names.fileBase}.event.js';\n`);
  const changed = [CATALOG, DOMAIN_INDEX];
  if (doc?.includes(DOCS_CATALOG_END)) {
    const row = `| \`${names.type}\` | 1 | ${policy} | ${description} |\n`;
    await writeFile(join(root, EVENTS_DOC), doc.replace(DOCS_CATALOG_END, `${row}${DOCS_CATALOG_END}`));
    changed.push(EVENTS_DOC);
  }
  return { names, created: [declaration, test], changed };
}

const PLACEHOLDER_DESCRIPTION = 'Describe what happened, and what a device does with it.';

function registerInCatalog(catalog: string, names: EventNames): string {
  const end = catalog.indexOf(CATALOG_END);
  if (end < 0 || !catalog.startsWith('import ')) throw new Error(`${CATALOG}: cannot find the imports and the "${CATALOG_END}" of eventCatalog`);
  const importLine = `import { ${names.constName} } from '../${names.area}/${names.fileBase}.event.js';\n`;
  const withImport = insertImportInOrder(catalog, importLine);
  const listEnd = withImport.indexOf(CATALOG_END);
  const beforeEnd = withImport.slice(0, listEnd).replace(/\s*$/, '');
  return `${beforeEnd}\n  ${names.constName},\n${withImport.slice(listEnd)}`;
}

/** Puts an import statement among the file's leading imports, ordered by module path as the others are. */
export function insertImportInOrder(source: string, importLine: string): string {
  // Packages first, then relative paths, each in code-point order (the convention of every file here).
  const pathOf = (statement: string) => {
    const path = /from '([^']+)';/.exec(statement)?.[1] ?? '';
    return `${path.startsWith('.') ? 1 : 0}${path}`;
  };
  const path = pathOf(importLine);
  let offset = 0;
  let insertAt: number | undefined;
  // Leading import statements, each possibly spanning lines: `import {\n  a,\n} from 'x';`.
  for (const match of source.matchAll(/^import [\s\S]*?from '[^']+';\n/gm)) {
    if (match.index !== offset) break;
    if (insertAt === undefined && pathOf(match[0]) > path) insertAt = match.index;
    offset = match.index + match[0].length;
  }
  const at = insertAt ?? offset;
  return `${source.slice(0, at)}${importLine}${source.slice(at)}`;
}

async function writeNew(root: string, file: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), content, { flag: 'wx' });
}

function audienceHint(policy: DeliveryPolicy): string {
  switch (policy) {
    case 'ephemeral':
      return 'Pushed live to connected devices only; never stored or replayed.';
    case 'latest-wins':
      return 'A device that is behind gets only the newest event per subject.';
    default:
      return 'Stored and replayed: every device gets every event.';
  }
}

function declarationSource(names: EventNames, policy: DeliveryPolicy, fields: readonly PayloadField[], description: string): string {
  const shape = fields.map((f) => `  ${zodSourceOf(f)}`).join('\n');
  return `import { z } from 'zod';
import { defineEventType } from '../events/event-type.js';

// The payload a device receives as \`data\`. Ids as strings, times as ISO strings (z.iso.datetime()).
// Changing a published shape incompatibly means version 2 plus an upcaster (docs/adding-an-event.md).
const ${names.constName}Payload = z.object({
${shape}
});

export const ${names.constName} = defineEventType({
  name: '${names.type}',
  version: 1,
  description: '${description}',
  schema: ${names.constName}Payload,
  // ${audienceHint(policy)}
  delivery: '${policy}',
  audience: (data) => [data.userId],
});
`;
}

function testSource(names: EventNames, fields: readonly PayloadField[]): string {
  const sample = fields.map((f) => `  ${f.name}: ${JSON.stringify(sampleValueOf(f)).replaceAll('"', "'")},`).join('\n');
  return `import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import { EventFactory } from '../events/event-factory.js';
import { InvalidEventError } from '../shared/errors.js';
import { ${names.constName} } from './${names.fileBase}.event.js';

const factory = new EventFactory({ next: () => 'event-1' }, { now: () => new Date('2026-01-01T00:00:00Z') }, '/pushline/test');

/** A valid payload: keep it in step with the schema. */
const sample: z.input<typeof ${names.constName}.schema> = {
${sample}
};

describe('${names.type}', () => {
  it('accepts a valid payload and stamps the envelope', () => {
    const event = factory.create(${names.constName}, 'subject-1', sample);

    expect(event).toMatchObject({ type: '${names.type}', dataversion: ${names.constName}.version, subject: 'subject-1' });
    expect(event.data).toEqual(sample);
    expect(${names.constName}.audience(event.data)).toEqual([sample.userId]);
  });

  it('rejects a payload that breaks the schema', () => {
    expect(() => factory.create(${names.constName}, 'subject-1', {} as z.input<typeof ${names.constName}.schema>)).toThrow(
      InvalidEventError,
    );
  });
});
`;
}

/** For messages: paths relative to where the command was run. */
export function displayPath(root: string, file: string): string {
  return relative(process.cwd(), join(root, file)) || file;
}
