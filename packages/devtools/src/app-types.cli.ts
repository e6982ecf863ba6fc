// `npm run app-types -- --url <baseUrl> --app <appId> --key <API key> [--out <file.ts>]`: generates the
// TypeScript types of an app's declared event types from its AsyncAPI document, beside the catalog's
// docs/client-types.d.ts, so the app's client is typed too (docs/apps.md).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { appEventTypesOf, buildAppClientTypes } from './app-client-types.builder.js';

const USAGE = `Usage: npm run app-types -- --url <baseUrl> --app <appId> --key <key> [--out <file.ts>]

  --url <baseUrl>   the API, e.g. http://127.0.0.1:3000 (or PUSHLINE_URL)
  --app <appId>     the app whose declared event types to type
  --key <key>       an API key of the app, any scope (or PUSHLINE_APP_KEY)
  --out <file.ts>   where to write the module (default: standard output)
`;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { url: { type: 'string' }, app: { type: 'string' }, key: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
});
const url = values.url ?? process.env.PUSHLINE_URL;
const key = values.key ?? process.env.PUSHLINE_APP_KEY;
if (values.help || !url || !values.app || !key) {
  process.stderr.write(values.help ? USAGE : `${!url ? '--url' : !values.app ? '--app' : '--key'} is required\n\n${USAGE}`);
  process.exit(values.help ? 0 : 2);
}

const res = await fetch(new URL(`/api/v1/apps/${encodeURIComponent(values.app)}/asyncapi.json`, url), {
  headers: { authorization: `Bearer ${key}` },
  signal: AbortSignal.timeout(30_000),
});
if (!res.ok) {
  process.stderr.write(`GET asyncapi.json answered ${res.status}: ${await res.text()}\n`);
  process.exit(1);
}
const source = buildAppClientTypes(values.app, appEventTypesOf((await res.json()) as Record<string, unknown>, values.app));
if (values.out) {
  await writeFile(values.out, source);
  process.stderr.write(`wrote ${values.out}\n`);
} else {
  process.stdout.write(source);
}
