import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EventType } from '@pushline/domain';
import { buildAsyncApiDocument, buildCatalogTable, buildClientSdkTypes, buildClientTypes } from './event-docs.builder.js';
import { DOCS_CATALOG_END, DOCS_CATALOG_START } from './event-scaffold.generator.js';

/** Files generated from the catalog, relative to the repository root. */
export const GENERATED_EVENT_DOCS = {
  asyncApi: 'docs/asyncapi.json',
  clientTypes: 'docs/client-types.d.ts',
  /** The typed SDK's event types (`client.on(type, handler)`), never edited by hand. */
  clientSdkTypes: 'packages/client/src/generated/event-types.ts',
  eventsDoc: 'docs/events.md',
} as const;

/** What each generated file should contain for `types`; the catalog table replaces docs/events.md's marked section. */
export async function renderEventDocs(root: string, types: readonly EventType[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set(GENERATED_EVENT_DOCS.asyncApi, `${JSON.stringify(buildAsyncApiDocument(types), null, 2)}\n`);
  files.set(GENERATED_EVENT_DOCS.clientTypes, buildClientTypes(types));
  files.set(GENERATED_EVENT_DOCS.clientSdkTypes, buildClientSdkTypes(types));
  const docPath = join(root, GENERATED_EVENT_DOCS.eventsDoc);
  if (existsSync(docPath)) {
    const doc = await readFile(docPath, 'utf8');
    const start = doc.indexOf(DOCS_CATALOG_START);
    const end = doc.indexOf(DOCS_CATALOG_END);
    if (start >= 0 && end > start) {
      files.set(
        GENERATED_EVENT_DOCS.eventsDoc,
        `${doc.slice(0, start + DOCS_CATALOG_START.length)}\n${buildCatalogTable(types)}${doc.slice(end)}`,
      );
    }
  }
  return files;
}

/** Writes the generated docs; returns the paths whose content changed. */
export async function writeEventDocs(root: string, types: readonly EventType[]): Promise<string[]> {
  const changed: string[] = [];
  for (const [path, content] of await renderEventDocs(root, types)) {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    if (existsSync(file) && (await readFile(file, 'utf8')) === content) continue;
    await writeFile(file, content);
    changed.push(path);
  }
  return changed;
}
