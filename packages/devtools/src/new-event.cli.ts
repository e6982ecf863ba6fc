// `npm run new-event -- <type.name> [--field name:kind[?]]... [--description TEXT] [--policy P]`: scaffolds an
// event type (see docs/adding-an-event.md), then regenerates the event docs, AsyncAPI and client types.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DeliveryPolicy } from '@pushline/domain';
import { scaffoldEventType } from './event-scaffold.generator.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    policy: { type: 'string', default: 'must-deliver' },
    field: { type: 'string', multiple: true, default: [] },
    description: { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const [type] = positionals;
if (!type || positionals.length > 1) {
  console.error(
    'usage: npm run new-event -- <type.name> [--field name:kind[?]]... [--description TEXT] [--policy must-deliver|latest-wins|ephemeral] [--no-docs]\n' +
      '  kinds: string, url, email, uuid, datetime, int, number, boolean; a trailing ? makes the field optional',
  );
  process.exit(2);
}

try {
  const result = await scaffoldEventType(root, {
    type,
    policy: values.policy as DeliveryPolicy,
    fields: values.field,
    ...(values.description !== undefined && { description: values.description }),
  });
  console.log(`created ${result.created.join(', ')}\nupdated ${result.changed.join(', ')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
if (!values['no-docs']) {
  // A fresh process: this one could not import the declaration it just wrote.
  const docs = spawnSync(process.execPath, [...process.execArgv, join(here, 'docs-events.cli.ts')], { stdio: 'inherit' });
  if (docs.status !== 0) process.exit(docs.status ?? 1);
}
console.log(`next: \`npm run new-use-case -- <UseCaseName> --emits ${type} --route 'POST /...'\` (docs/adding-an-event.md)`);
