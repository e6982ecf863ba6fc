import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TENANT } from '../../src/demo-users.js';
import { logIn, request } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

const ADMIN_TOKEN = 'admin-token-for-the-tenant-test';
const PASSWORD = 'tenant-user-password';

describe('the operator API for tenants and users', () => {
  let t: TestApi;
  const admin = (method: string, path: string, body?: unknown) => request(t.baseUrl, method, `/api/v1/admin${path}`, { bearer: ADMIN_TOKEN, ...(body !== undefined && { body }) });

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  async function newTenantUser(): Promise<{ tenantId: string; userId: string; email: string }> {
    const tenant = await admin('POST', '/tenants', { name: 'Acme' });
    expect(tenant.status).toBe(201);
    const email = `user-${String(tenant.body.id).slice(0, 8)}@acme.test`;
    const user = await admin('POST', `/tenants/${String(tenant.body.id)}/users`, { email, password: PASSWORD });
    expect(user.status).toBe(201);
    return { tenantId: String(tenant.body.id), userId: String(user.body.id), email };
  }

  it('creates a tenant and a user who logs in, and lists both', async () => {
    const { tenantId, userId, email } = await newTenantUser();
    const session = await logIn(t.baseUrl, email, PASSWORD);

    await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: session.token })).resolves.toMatchObject({ status: 200, body: { id: userId, tenantId } });
    const users = await admin('GET', `/tenants/${tenantId}/users`);
    expect(users.body).toEqual({ items: [expect.objectContaining({ id: userId, email, disabled: false })], nextCursor: null });
    const tenants = await admin('GET', '/tenants?limit=100');
    expect(tenants.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: tenantId, name: 'Acme' })]));
  });

  it('answers bad input with a 4xx naming the field, an unknown tenant with 404, a taken email with 409', async () => {
    const { tenantId, email } = await newTenantUser();
    await expect(admin('POST', '/tenants', { name: '' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    await expect(admin('POST', `/tenants/${tenantId}/users`, { email: 'nope' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'email' } } });
    await expect(admin('POST', `/tenants/${tenantId}/users`, { email: 'x@acme.test', password: 'short' })).resolves.toMatchObject({
      status: 400,
      body: { error: { field: 'password' } },
    });
    await expect(admin('POST', '/tenants/unknown/users', { email: 'x@acme.test' })).resolves.toMatchObject({ status: 404 });
    await expect(admin('POST', `/tenants/${tenantId}/users`, { email: email.toUpperCase() })).resolves.toMatchObject({
      status: 409,
      body: { error: { code: 'email_taken', field: 'email' } },
    });
    await expect(admin('PATCH', '/admin-missing', {})).resolves.toMatchObject({ status: 404 });
    await expect(admin('PATCH', '/users/unknown', { disabled: true })).resolves.toMatchObject({ status: 404 });
    await expect(admin('PATCH', '/users/unknown', { disabled: 'yes' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'disabled' } } });
  });

  it('refuses the admin routes without the admin token, and with a user token', async () => {
    const { email } = await newTenantUser();
    const session = await logIn(t.baseUrl, email, PASSWORD);
    await expect(request(t.baseUrl, 'POST', '/api/v1/admin/tenants', { body: { name: 'x' } })).resolves.toMatchObject({ status: 401 });
    await expect(request(t.baseUrl, 'GET', '/api/v1/admin/tenants', { bearer: session.token })).resolves.toMatchObject({ status: 401 });
  });

  it('disabling a user closes their streams on both transports at once and refuses their token and login until re-enabled', async () => {
    const { userId, email } = await newTenantUser();
    const session = await logIn(t.baseUrl, email, PASSWORD);
    const sse = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: session.token });
    const ws = new WsDeliveryClient(t.baseUrl, { bearer: session.token });
    await Promise.all([sse.waitForOpen(), ws.waitForOpen()]);

    await expect(admin('PATCH', `/users/${userId}`, { disabled: true })).resolves.toMatchObject({ status: 200, body: { disabled: true } });

    await sse.waitForEvent('stream.closed', (data) => data.reason === 'session_revoked');
    await ws.waitForEnd();
    sse.close();
    await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: session.token })).resolves.toMatchObject({ status: 401 });
    await expect(request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } })).resolves.toMatchObject({ status: 401 });

    await expect(admin('PATCH', `/users/${userId}`, { disabled: false })).resolves.toMatchObject({ status: 200, body: { disabled: false } });
    await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: session.token })).resolves.toMatchObject({ status: 200 });
  });

  it('deleting a user removes their data and refuses their token', async () => {
    const { tenantId, userId, email } = await newTenantUser();
    const session = await logIn(t.baseUrl, email, PASSWORD);
    await request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: session.token, body: { title: 'mine' } });

    await expect(admin('DELETE', `/users/${userId}`)).resolves.toMatchObject({ status: 204 });

    await expect(request(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: session.token })).resolves.toMatchObject({ status: 401 });
    await expect(t.api.database.prisma.notification.count({ where: { userId } })).resolves.toBe(0);
    await expect(t.api.database.prisma.streamEvent.count({ where: { userId } })).resolves.toBe(0);
    await expect(t.api.database.prisma.notificationCounter.count({ where: { userId } })).resolves.toBe(0);
    await expect(t.api.database.prisma.loginSession.count({ where: { userId } })).resolves.toBe(0);
    await expect(admin('GET', `/tenants/${tenantId}/users`)).resolves.toMatchObject({ body: { items: [] } });
    await expect(admin('DELETE', `/users/${userId}`)).resolves.toMatchObject({ status: 404 });
  });

  it('keeps self-registration off unless SELF_REGISTRATION_TENANT_ID is set', async () => {
    await expect(request(t.baseUrl, 'POST', '/api/v1/auth/register', { body: { email: 'me@x.test', password: PASSWORD } })).resolves.toMatchObject({ status: 404 });
  });
});

describe('self-registration, when configured', () => {
  it('adds sign-ups to the configured tenant', async () => {
    const t = await startTestApi({ env: { SELF_REGISTRATION_TENANT_ID: DEMO_TENANT.id } });
    try {
      const res = await request(t.baseUrl, 'POST', '/api/v1/auth/register', { body: { email: 'new@x.test', password: PASSWORD } });
      expect(res.status).toBe(201);
      const session = await logIn(t.baseUrl, 'new@x.test', PASSWORD);
      await expect(request(t.baseUrl, 'GET', '/api/v1/me', { bearer: session.token })).resolves.toMatchObject({ body: { tenantId: DEMO_TENANT.id } });
      await expect(request(t.baseUrl, 'POST', '/api/v1/auth/register', { body: { email: 'new@x.test', password: PASSWORD } })).resolves.toMatchObject({ status: 409 });
    } finally {
      await t.stop();
    }
  });
});
