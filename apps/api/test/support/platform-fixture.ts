import { logIn, request, type ApiResponse, type LoggedIn } from './http-client.js';

export const PLATFORM_ADMIN_TOKEN = 'admin-token-for-the-platform-tests';
export const PLATFORM_PASSWORD = 'platform-user-password';

export const TASK_ASSIGNED_SCHEMA = {
  type: 'object',
  properties: { taskId: { type: 'string', minLength: 1 }, title: { type: 'string' } },
  required: ['taskId'],
  additionalProperties: false,
};

export interface TestApp {
  readonly id: string;
  readonly slug: string;
  readonly key: string;
  readonly keyId: string;
}

/** Drives the operator's and the apps' HTTP APIs for a test: tenants, users, apps, keys, installs. */
export class PlatformFixture {
  constructor(readonly baseUrl: string) {}

  admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    return request<T>(this.baseUrl, method, `/api/v1/admin${path}`, { bearer: PLATFORM_ADMIN_TOKEN, ...(body !== undefined && { body }) });
  }

  app<T = Record<string, unknown>>(app: Pick<TestApp, 'id' | 'key'>, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>> {
    return request<T>(this.baseUrl, method, `/api/v1/apps/${app.id}${path}`, { bearer: app.key, ...(body !== undefined && { body }), ...(headers && { headers }) });
  }

  async tenant(name = 'Acme'): Promise<string> {
    return String((await this.expect(201, this.admin('POST', '/tenants', { name }))).id);
  }

  /** A user with a password, logged in. */
  async user(tenantId: string): Promise<LoggedIn & { email: string }> {
    const email = `u-${Math.random().toString(36).slice(2)}@platform.test`;
    await this.expect(201, this.admin('POST', `/tenants/${tenantId}/users`, { email, password: PLATFORM_PASSWORD }));
    return { ...(await logIn(this.baseUrl, email, PLATFORM_PASSWORD)), email };
  }

  async registerApp(tenantId: string, slug: string, scopes: readonly string[] = ['events:publish', 'notifications:write', 'events:read']): Promise<TestApp> {
    const app = await this.expect(201, this.admin('POST', `/tenants/${tenantId}/apps`, { name: slug, slug }));
    const key = await this.expect(201, this.admin('POST', `/apps/${String(app.id)}/keys`, { scopes }));
    return { id: String(app.id), slug, key: String(key.key), keyId: String(key.id) };
  }

  async key(appId: string, scopes: readonly string[]): Promise<{ key: string; id: string }> {
    const issued = await this.expect(201, this.admin('POST', `/apps/${appId}/keys`, { scopes }));
    return { key: String(issued.key), id: String(issued.id) };
  }

  async declareTaskAssigned(app: TestApp): Promise<string> {
    const type = `${app.slug}.task.assigned`;
    await this.expect(201, this.app(app, 'POST', '/event-types', { type, version: 1, schema: TASK_ASSIGNED_SCHEMA }));
    return type;
  }

  async install(user: LoggedIn, appId: string): Promise<void> {
    await this.expect(204, request(this.baseUrl, 'PUT', `/api/v1/me/apps/${appId}`, { bearer: user.token }));
  }

  private async expect(status: number, response: Promise<ApiResponse>): Promise<Record<string, unknown>> {
    const res = await response;
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
