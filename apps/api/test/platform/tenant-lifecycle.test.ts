import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TENANT, DEMO_USERS } from '../../src/demo-users.js';
import { eventually } from '../support/eventually.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PLATFORM_PASSWORD, PlatformFixture, type TestApp } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

/** Disabling and deleting a whole tenant through the operator API, on PostgreSQL. */
describe('the operator disables and deletes tenants', () => {
  let t: TestApi;
  let p: PlatformFixture;
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
    p = new PlatformFixture(t.baseUrl);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  /** A tenant with two users, an app they installed with a declared type, one event and one notification each. */
  async function populatedTenant(slug: string): Promise<{ tenantId: string; users: (LoggedIn & { email: string })[]; app: TestApp; type: string }> {
    const tenantId = await p.tenant(slug);
    const users = [await p.user(tenantId), await p.user(tenantId)];
    const app = await p.registerApp(tenantId, slug, ['events:publish', 'notifications:write', 'events:read', 'webhooks:manage']);
    const type = await p.declareTaskAssigned(app);
    for (const u of users) await p.install(u, app.id);
    const published = await p.app(app, 'POST', '/events', { type, subject: 'task-1', data: { taskId: 't-1' }, audience: { tenant: true } }, { 'Idempotency-Key': `${slug}-publish-1` });
    expect(published).toMatchObject({ status: 201, body: { recipients: 2 } });
    await expect(p.app(app, 'POST', '/notifications', { userIds: users.map((u) => u.userId), title: 'Welcome' })).resolves.toMatchObject({ status: 201 });
    await expect(p.app(app, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/placeholder', eventTypes: ['notification.created'], enabled: false })).resolves.toMatchObject({ status: 201 });
    for (const u of users) await expect(request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: u.token, body: { title: 'mine' } })).resolves.toMatchObject({ status: 201 });
    return { tenantId, users, app, type };
  }

  function openStreams(user: LoggedIn): { sse: StreamClient; ws: WsDeliveryClient } {
    const sse = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: user.token });
    const ws = new WsDeliveryClient(t.baseUrl, { bearer: user.token });
    clients.push(sse, ws);
    return { sse, ws };
  }

  /**
   * Rows the tenant owns, table by table: every table with a `tenant_id` or `user_id` column (found in
   * the catalog, so a table added later is checked too), and the app's rows by app id, owner, scope or event.
   */
  async function rowsOf(tenantId: string, userIds: readonly string[], appId: string, eventIds: readonly string[]): Promise<Record<string, number>> {
    const db = t.api.database.prisma;
    const count = async (sql: string, ...params: unknown[]) => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${sql}`, ...params))[0]!.n);
    const owned = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name IN ('tenant_id', 'user_id') ORDER BY table_name, column_name`;
    const rows: Record<string, number> = {};
    for (const { table_name: table, column_name: column } of owned) {
      rows[`${table}.${column}`] = column === 'tenant_id' ? await count(`"${table}" WHERE tenant_id = $1`, tenantId) : await count(`"${table}" WHERE user_id = ANY($1::text[])`, userIds);
    }
    return {
      ...rows,
      tenants: await count('tenants WHERE id = $1', tenantId),
      api_keys: await count('api_keys WHERE app_id = $1', appId),
      app_event_types: await count('app_event_types WHERE app_id = $1', appId),
      webhook_subscriptions: await count('webhook_subscriptions WHERE owner = $1', appId),
      idempotency_keys: await count('idempotency_keys WHERE scope LIKE $1', `app:${appId}:%`),
      event_handler_jobs: await count('event_handler_jobs WHERE event_id = ANY($1::text[])', eventIds),
    };
  }

  it("disabling a tenant closes its users' streams at once, refuses their tokens, logins and its app keys with tenant_disabled, and leaves other tenants alone", async () => {
    const acme = await populatedTenant('acmeoff');
    const other = await populatedTenant('otheron');
    const acmeStreams = acme.users.map(openStreams);
    const otherStreams = openStreams(other.users[0]!);
    await Promise.all([...acmeStreams.flatMap((s) => [s.sse.waitForOpen(), s.ws.waitForOpen()]), otherStreams.sse.waitForOpen()]);

    await expect(p.admin('PATCH', `/tenants/${acme.tenantId}`, { disabled: true })).resolves.toMatchObject({ status: 200, body: { id: acme.tenantId, disabled: true } });

    await Promise.all(acmeStreams.flatMap((s) => [s.sse.waitForEvent('stream.closed', (data) => data.reason === 'session_revoked'), s.ws.waitForEnd()]));
    for (const s of acmeStreams) s.sse.close();
    const user = acme.users[0]!;
    const refused = { status: 403, body: { error: { code: 'tenant_disabled' } } };
    await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: user.token })).resolves.toMatchObject(refused);
    await expect(request(t.baseUrl, 'GET', '/api/v1/stream', { bearer: user.token })).resolves.toMatchObject(refused);
    await expect(request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email: user.email, password: PLATFORM_PASSWORD } })).resolves.toMatchObject(refused);
    // A wrong password still gets the generic 401: the flag is told only to who knows the password.
    await expect(request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong-password-here' } })).resolves.toMatchObject({ status: 401 });
    await expect(p.app(acme.app, 'POST', '/events', { type: acme.type, subject: 's', data: { taskId: 'x' }, audience: { userId: user.userId } })).resolves.toMatchObject(refused);
    await expect(p.app(acme.app, 'GET', '/webhooks')).resolves.toMatchObject(refused);
    await expect(p.admin('GET', `/tenants/${acme.tenantId}/users`)).resolves.toMatchObject({ status: 200 });

    // The other tenant's stream stayed open and still receives.
    const theirs = other.users[0]!;
    await expect(request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: theirs.token, body: { title: 'still on' } })).resolves.toMatchObject({ status: 201 });
    await otherStreams.sse.waitForEvent('notification.created', (data) => (data.data as { title?: string }).title === 'still on');
    expect(otherStreams.sse.ofType('stream.closed')).toEqual([]);

    await expect(p.admin('PATCH', `/tenants/${acme.tenantId}`, { disabled: false })).resolves.toMatchObject({ status: 200, body: { disabled: false, disabledAt: null } });
    await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: user.token })).resolves.toMatchObject({ status: 200 });
    await expect(p.app(acme.app, 'POST', '/events', { type: acme.type, subject: 's', data: { taskId: 'y' }, audience: { userId: user.userId } })).resolves.toMatchObject({ status: 201 });
  });

  it('answers bad input naming the field, and 404 for an unknown tenant', async () => {
    await expect(p.admin('PATCH', `/tenants/${DEMO_TENANT.id}`, { disabled: 'yes' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'disabled' } } });
    await expect(p.admin('PATCH', '/tenants/unknown-tenant', { disabled: true })).resolves.toMatchObject({ status: 404 });
    await expect(p.admin('DELETE', '/tenants/unknown-tenant')).resolves.toMatchObject({ status: 404 });
    await expect(request(t.baseUrl, 'DELETE', `/api/v1/admin/tenants/${DEMO_TENANT.id}`)).resolves.toMatchObject({ status: 401 });
  });

  it("deleting a tenant removes every row it owns in one go, closes its users' streams, and keeps another tenant's rows", async () => {
    const doomed = await populatedTenant('doomed');
    const kept = await populatedTenant('keptone');
    const db = t.api.database.prisma;
    const eventIdsOf = async (tenantId: string) => (await db.event.findMany({ where: { tenantId }, select: { id: true } })).map((e) => e.id);
    const [doomedEvents, keptEvents] = [await eventIdsOf(doomed.tenantId), await eventIdsOf(kept.tenantId)];
    const ids = (x: typeof doomed, eventIds: readonly string[]) => [x.tenantId, x.users.map((u) => u.userId), x.app.id, eventIds] as const;
    // Handler jobs run after commit; let them finish so nothing is written after the delete.
    await eventually(async () => (await db.eventHandlerJob.count({ where: { status: 'pending' } })) === 0, 'the handler jobs to run');
    const before = await rowsOf(...ids(doomed, doomedEvents));
    const populated = [
      'users.tenant_id',
      'notifications.user_id',
      'stream_events.user_id',
      'user_streams.user_id',
      'sessions.user_id',
      'apps.tenant_id',
      'api_keys',
      'app_installations.tenant_id',
      'app_event_types',
      'webhook_subscriptions',
      'idempotency_keys',
      'events.tenant_id',
    ];
    expect(populated.filter((table) => !(before[table]! > 0))).toEqual([]);
    const keptBefore = await rowsOf(...ids(kept, keptEvents));
    const streams = openStreams(doomed.users[0]!);
    await streams.sse.waitForOpen();

    await expect(p.admin('DELETE', `/tenants/${doomed.tenantId}`)).resolves.toMatchObject({ status: 204 });

    await streams.sse.waitForEvent('stream.closed');
    streams.sse.close();
    const after = await rowsOf(...ids(doomed, doomedEvents));
    expect(after).toEqual(Object.fromEntries(Object.keys(after).map((table) => [table, 0])));
    await expect(rowsOf(...ids(kept, keptEvents))).resolves.toEqual(keptBefore);
    await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: doomed.users[0]!.token })).resolves.toMatchObject({ status: 401 });
    await expect(p.app(doomed.app, 'GET', '/events')).resolves.toMatchObject({ status: 401 });
    await expect(p.admin('GET', `/tenants/${doomed.tenantId}/users`)).resolves.toMatchObject({ status: 404 });
    await expect(p.admin('DELETE', `/tenants/${doomed.tenantId}`)).resolves.toMatchObject({ status: 404 });
  });

  it('deletes the seeded demo tenant only when the request confirms its id', async () => {
    const alice = DEMO_USERS[0];
    await expect(p.admin('DELETE', `/tenants/${DEMO_TENANT.id}`)).resolves.toMatchObject({ status: 409, body: { error: { code: 'tenant_protected', field: 'confirm' } } });
    await expect(p.admin('DELETE', `/tenants/${DEMO_TENANT.id}?confirm=someone-else`)).resolves.toMatchObject({ status: 409 });
    await expect(logIn(t.baseUrl, alice.email, alice.password)).resolves.toMatchObject({ token: expect.any(String) });

    await expect(p.admin('DELETE', `/tenants/${DEMO_TENANT.id}?confirm=${DEMO_TENANT.id}`)).resolves.toMatchObject({ status: 204 });
    await expect(request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: alice })).resolves.toMatchObject({ status: 401 });
  });
});
