import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_VERSION } from '../../src/http/openapi/api-version.js';
import { buildOpenApiDocument } from '../../src/http/openapi/openapi-document.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const checkedIn = JSON.parse(readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('the OpenAPI 3.1 document', () => {
  it('is current: docs/openapi.json equals what the zod schemas generate (else run npm run docs:openapi)', () => {
    expect(checkedIn).toEqual(buildOpenApiDocument(API_VERSION));
    expect(checkedIn.openapi).toBe('3.1.0');
  });

  describe('served by the API', () => {
    let t: TestApi;

    beforeAll(async () => {
      t = await startTestApi();
    });

    afterAll(async () => {
      await t?.stop();
    });

    it('at /api/docs/openapi.json, and as an interactive page at /api/docs', async () => {
      const json = await fetch(`${t.baseUrl}/api/docs/openapi.json`);
      expect(json.status).toBe(200);
      expect(await json.json()).toEqual(checkedIn);
      const page = await fetch(`${t.baseUrl}/api/docs`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('swagger-ui-bundle.js');
      const asset = await fetch(`${t.baseUrl}/api/docs/assets/swagger-ui-bundle.js`);
      expect(asset.status).toBe(200);
      await asset.arrayBuffer();
    });
  });
});
