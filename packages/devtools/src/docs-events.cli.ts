// `npm run docs:events`: regenerates docs/asyncapi.json, docs/client-types.d.ts, the SDK's event types
// (packages/client/src/generated) and the catalog table of docs/events.md from the event catalog.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventCatalog } from '@pushline/domain';
import { writeEventDocs } from './event-docs.generator.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const changed = await writeEventDocs(root, eventCatalog);
console.log(changed.length === 0 ? 'event docs are up to date' : `updated ${changed.join(', ')}`);
