import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture } from '../support/platform-fixture.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

interface KeyJson {
  id: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Issue #10: the operator lists an app's API keys, beside issuing and revoking them; never the secret. */
describe("the operator's list of an app's API keys", () => {
  let t: TestApi;
  let p: PlatformFixture;

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN } });
    p = new PlatformFixture(t.baseUrl);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('lists id, prefix, scopes and times, oldest first, a page at a time; never the key or its hash', async () => {
    const tenantId = await p.tenant();
    const app = await p.registerApp(tenantId, 'keyring', ['events:read']);
    const second = await p.key(app.id, ['webhooks:manage', 'events:publish']);
    const third = await p.key(app.id, ['notifications:write']);
    await p.registerApp(tenantId, 'neighbour', ['events:read']);
    // Used (an app route with the key), and revoked.
    expect((await p.app(app, 'GET', '/events')).status).toBe(200);
    expect((await p.admin('DELETE', `/apps/${app.id}/keys/${second.id}`)).status).toBe(204);

    const first = await p.admin<{ items: KeyJson[]; nextCursor: string | null }>('GET', `/apps/${app.id}/keys?limit=2`);
    expect(first.status).toBe(200);
    const rest = await p.admin<{ items: KeyJson[]; nextCursor: string | null }>('GET', `/apps/${app.id}/keys?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body.nextCursor).toBeNull();
    const items = [...first.body.items, ...rest.body.items];
    // Oldest first by (createdAt, id): keys issued within one millisecond are ordered by id.
    const order = (k: KeyJson) => `${k.createdAt}|${k.id}`;
    expect(items.map(order)).toEqual(items.map(order).sort());
    expect(items.map((k) => k.id).sort()).toEqual([app.keyId, second.id, third.id].sort());
    const byId = (id: string) => items.find((k) => k.id === id)!;
    for (const k of items) expect(Object.keys(k).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'prefix', 'revokedAt', 'scopes']);
    expect(byId(app.keyId)).toMatchObject({ scopes: ['events:read'], lastUsedAt: expect.any(String), revokedAt: null });
    expect(byId(second.id)).toMatchObject({ scopes: ['webhooks:manage', 'events:publish'], lastUsedAt: null, revokedAt: expect.any(String) });
    expect(byId(third.id)).toMatchObject({ scopes: ['notifications:write'], lastUsedAt: null, revokedAt: null });
    // The key `plk_<prefix>_<secret>` is recognisable by its prefix, and its secret part never comes back.
    expect(app.key).toContain(byId(app.keyId).prefix);
    const text = JSON.stringify([first.body, rest.body]);
    for (const key of [app.key, second.key, third.key]) expect(text).not.toContain(key.split('_').at(-1));
    expect(text).not.toMatch(/hash/i);
  });

  it('answers 404 for an unknown app or one of another tenant, 400 naming a bad field, 401 without ADMIN_TOKEN', async () => {
    const [tenantA, tenantB] = [await p.tenant('A'), await p.tenant('B')];
    const app = await p.registerApp(tenantA, 'scoped', ['events:read']);
    await expect(p.admin('GET', `/apps/${app.id}/keys?tenantId=${tenantA}`)).resolves.toMatchObject({ status: 200, body: { items: [expect.objectContaining({ id: app.keyId })] } });
    await expect(p.admin('GET', `/apps/${app.id}/keys?tenantId=${tenantB}`)).resolves.toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    await expect(p.admin('GET', '/apps/no-such-app/keys')).resolves.toMatchObject({ status: 404 });
    await expect(p.admin('GET', `/apps/${app.id}/keys?limit=0`)).resolves.toMatchObject({ status: 400, body: { error: { field: 'limit' } } });
    await expect(p.admin('GET', `/apps/${app.id}/keys?cursor=not-a-cursor`)).resolves.toMatchObject({ status: 400, body: { error: { field: 'cursor' } } });
    await expect(request(t.baseUrl, 'GET', `/api/v1/admin/apps/${app.id}/keys`, { bearer: app.key })).resolves.toMatchObject({ status: 401 });
  });
});
