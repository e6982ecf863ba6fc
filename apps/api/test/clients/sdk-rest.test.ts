import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPushlineApi, PushlineApiError } from '@pushline/client';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** The SDK's typed REST helpers against the routes that exist today. */
describe('@pushline/client REST helpers', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('login → me → create → list → update → refresh → logout, and errors in the API shape', async () => {
    const anonymous = createPushlineApi({ baseUrl: t.baseUrl });
    const login = await anonymous.login({ email: 'alice@example.com', password: 'alice-demo-password' });
    expect(login).toMatchObject({ tokenType: 'Bearer', user: { email: 'alice@example.com' } });
    let token = login.accessToken;
    const api = createPushlineApi({ baseUrl: t.baseUrl, token: () => token, deviceId: 'rest-test' });

    expect(await api.me()).toMatchObject({ id: login.user.id, email: 'alice@example.com' });
    const created = await api.notifications.create({ title: 'Via the SDK', priority: 'high' });
    expect(created).toMatchObject({ title: 'Via the SDK', priority: 'high', status: 'unread' });
    const page = await api.notifications.list({ limit: 5 });
    expect(page.items.map((n) => n.id)).toContain(created.id);
    expect((await api.notifications.update(created.id, { status: 'read' })).status).toBe('read');
    const events = await api.events(0, 10);
    expect(events.events.map((e) => e.type)).toEqual(expect.arrayContaining(['notification.created', 'notification.read']));

    const refreshed = await api.refresh();
    expect(refreshed.accessToken).toEqual(expect.any(String));
    token = refreshed.accessToken;

    const invalid = await api.notifications.create({ title: '' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(PushlineApiError);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed', field: 'title' });
    const missing = await api.notifications.update('no-such-id', { status: 'read' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });

    await api.logout();
    expect(await api.me().catch((e: unknown) => e)).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(await anonymous.login({ email: 'alice@example.com', password: 'wrong' }).catch((e: unknown) => e)).toMatchObject({ status: 401 });
  });
});
