// `npm run docs:openapi`: writes docs/openapi.json from the zod schemas of the routes.
import { writeFileSync } from 'node:fs';
import { API_VERSION } from '../src/http/openapi/api-version.js';
import { buildOpenApiDocument } from '../src/http/openapi/openapi-document.js';

writeFileSync(new URL('../../../docs/openapi.json', import.meta.url), `${JSON.stringify(buildOpenApiDocument(API_VERSION), null, 2)}\n`);
console.log('wrote docs/openapi.json');
