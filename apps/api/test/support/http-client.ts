/** Minimal JSON client for the API under test, in the shape a mobile app or script would use it. */
export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; bearer?: string; cookie?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
}

export interface LoggedIn {
  readonly token: string;
  /** `name=value` of the session cookie, as a browser would send it back. */
  readonly cookie: string;
  readonly userId: string;
}

export async function logIn(baseUrl: string, email: string, password: string): Promise<LoggedIn> {
  const res = await request<{ accessToken: string; user: { id: string } }>(baseUrl, 'POST', '/api/v1/auth/login', {
    body: { email, password },
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { token: res.body.accessToken, cookie: setCookie.split(';')[0] ?? '', userId: res.body.user.id };
}

/** Creates a notification for the token's user over HTTP, as curl would; throws unless 201. */
export async function createNotification(baseUrl: string, token: string, title: string): Promise<{ id: string }> {
  const res = await request<{ id: string }>(baseUrl, 'POST', '/api/v1/notifications', { bearer: token, body: { title } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Real apps of the user's tenant, installed by that user, by name → app id (the slug is the name
 * without dashes): webhooks (and publishing)
 * reach only users who installed the app. Needs the admin token.
 */
export async function installedApps(baseUrl: string, adminToken: string, user: LoggedIn, slugs: readonly string[]): Promise<Record<string, string>> {
  const me = await request<{ tenantId: string }>(baseUrl, 'GET', '/api/v1/me', { bearer: user.token });
  const ids: Record<string, string> = {};
  for (const name of slugs) {
    const slug = name.replaceAll('-', '');
    const created = await request<{ id: string }>(baseUrl, 'POST', `/api/v1/admin/tenants/${me.body.tenantId}/apps`, { bearer: adminToken, body: { name, slug } });
    if (created.status !== 201) throw new Error(`app ${slug} not created: ${created.status} ${JSON.stringify(created.body)}`);
    const installed = await request(baseUrl, 'PUT', `/api/v1/me/apps/${created.body.id}`, { bearer: user.token });
    if (installed.status >= 300) throw new Error(`app ${slug} not installed: ${installed.status} ${JSON.stringify(installed.body)}`);
    ids[name] = created.body.id;
  }
  return ids;
}
