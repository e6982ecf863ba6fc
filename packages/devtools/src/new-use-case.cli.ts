// `npm run new-use-case -- <UseCaseName> --emits <event.type> --route 'POST /path/:param' [--feature area]`:
// scaffolds a use case that emits a catalog event, its validated route, their registration in the
// feature module, a unit test and an end-to-end test (docs/adding-an-event.md).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findEventType } from '@pushline/domain';
import { z } from 'zod';
import { payloadFieldsFromJsonSchema } from './payload-fields.js';
import { scaffoldUseCase } from './use-case-scaffold.generator.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { emits: { type: 'string' }, route: { type: 'string' }, feature: { type: 'string' } },
});
const [name] = positionals;
if (!name || positionals.length > 1 || !values.emits || !values.route) {
  console.error("usage: npm run new-use-case -- <UseCaseName> --emits <event.type> --route 'POST /orders/:orderId/ship' [--feature orders]");
  process.exit(2);
}

try {
  const type = findEventType(values.emits);
  if (!type) throw new Error(`${values.emits} is not in the event catalog: run npm run new-event -- ${values.emits} first`);
  const fields = payloadFieldsFromJsonSchema(z.toJSONSchema(type.schema, { io: 'input' }) as Parameters<typeof payloadFieldsFromJsonSchema>[0]);
  const result = await scaffoldUseCase(root, {
    name,
    event: { type: type.name, fields },
    route: values.route,
    ...(values.feature !== undefined && { feature: values.feature }),
  });
  console.log(`created ${result.created.join(', ')}\nupdated ${result.changed.join(', ')}`);
  console.log(`next: write the state change in ${result.created[0]}, then npm run jest -- ${result.names.fileBase}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
