import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

/** A raw TCP client: what it received, and a promise of the server closing it. */
function rawSocket(baseUrl: string, localAddress?: string): { socket: Socket; received: () => string; closed: Promise<string>; connected: Promise<void> } {
  const url = new URL(baseUrl);
  const socket = connect({ port: Number(url.port), host: url.hostname, ...(localAddress && { localAddress }) });
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  return {
    socket,
    received: () => text,
    closed: new Promise((resolve) => socket.on('close', () => resolve(text))),
    connected: new Promise((resolve) => socket.once('connect', () => resolve())),
  };
}

/** `pushline_connections_refused_total{reason}` from the instance's own /metrics. */
async function refusedCount(baseUrl: string, reason: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('pushline_connections_refused_total{') && l.includes(`reason="${reason}"`));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/** Issue #9, finding 4: a request body that never came held its socket forever. */
describe('socket timeouts', () => {
  let t: TestApi;
  let alice: LoggedIn;

  beforeAll(async () => {
    t = await startTestApi({ env: { HEADERS_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1000', SSE_HEARTBEAT_MS: '60000' } });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('closes a request whose body never arrives (408) and one whose headers never end, but never an open stream', async () => {
    const sse = new StreamClient(`${t.baseUrl}/api/v1/stream?lastEventId=0`, { bearer: alice.token });
    const ws = new WsDeliveryClient(t.baseUrl, { bearer: alice.token, lastEventId: '0' });
    await sse.waitForOpen();
    await ws.waitForOpen();

    const body = rawSocket(t.baseUrl);
    body.socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
    const headers = rawSocket(t.baseUrl);
    headers.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');

    // Both were cut by the server: by then the streams were open longer than either timeout.
    const [bodyAnswer, headersAnswer] = await Promise.all([body.closed, headers.closed]);
    expect(bodyAnswer).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyAnswer).toContain('"code":"request_timeout"');
    expect(headersAnswer).toMatch(/^HTTP\/1\.1 408 /);

    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: 'still here' } });
    await sse.waitUntil(() => sse.ofType('notification.created').length === 1, 'the SSE stream to deliver after the timeouts');
    await ws.waitUntil(() => ws.events.some((e) => e.type === 'notification.created'), 'the WebSocket to deliver after the timeouts');
    expect(sse.errors).toEqual([]);
    expect(ws.closeCode).toBeUndefined();
    expect(created.status).toBe(201);
    expect(await refusedCount(t.baseUrl, 'request_timeout')).toBe(2);
    sse.close();
    ws.close();
  });
});

describe('unauthenticated connections per address', () => {
  let t: TestApi;
  let alice: LoggedIn;
  const MAX = 3;
  // A source address of its own, so the test's fetch connections (from 127.0.0.1) do not count.
  const FROM = '127.0.0.2';

  beforeAll(async () => {
    t = await startTestApi({ env: { MAX_UNAUTHENTICATED_CONNECTIONS_PER_IP: String(MAX), ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN } });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it(`answers 429 past ${MAX} idle connections, and frees a slot when one authenticates`, async () => {
    const idle = Array.from({ length: MAX }, () => rawSocket(t.baseUrl, FROM));
    await Promise.all(idle.map((c) => c.connected));

    const refused = rawSocket(t.baseUrl, FROM);
    expect(await refused.closed).toMatch(/^HTTP\/1\.1 429 [\s\S]*"code":"rate_limited"/);

    const first = idle[0]!;
    first.socket.write(`GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice.token}\r\n\r\n`);
    await new Promise<void>((resolve) => first.socket.on('data', () => first.received().includes('\r\n\r\n') && resolve()));
    expect(first.received()).toMatch(/^HTTP\/1\.1 200 /);

    const admitted = rawSocket(t.baseUrl, FROM);
    admitted.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await admitted.closed).toMatch(/^HTTP\/1\.1 200 /);
    expect(await refusedCount(t.baseUrl, 'unauthenticated_connections')).toBe(1);
    for (const c of idle) c.socket.destroy();
    await Promise.all(idle.map((c) => c.closed));
  });

  // A publisher's keep-alive pool: before, its connections kept counting and the 101st got a 429.
  it("frees the slot of a connection that carried an app's valid API key, and not of one with a wrong key", async () => {
    const platform = new PlatformFixture(t.baseUrl);
    const app = await platform.registerApp(await platform.tenant(), 'capped');
    const idle = Array.from({ length: MAX }, () => rawSocket(t.baseUrl, FROM));
    await Promise.all(idle.map((c) => c.connected));
    const answered = (c: (typeof idle)[number]): Promise<string> =>
      new Promise((resolve) => c.socket.on('data', () => c.received().includes('\r\n\r\n') && resolve(c.received())));

    const [wrong, valid] = idle as [(typeof idle)[number], (typeof idle)[number]];
    wrong.socket.write(`GET /api/v1/apps/${app.id}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${app.key.slice(0, -2)}xx\r\n\r\n`);
    expect(await answered(wrong)).toMatch(/^HTTP\/1\.1 401 /);
    const stillFull = rawSocket(t.baseUrl, FROM);
    expect(await stillFull.closed).toMatch(/^HTTP\/1\.1 429 /);

    valid.socket.write(`GET /api/v1/apps/${app.id}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${app.key}\r\n\r\n`);
    expect(await answered(valid)).toMatch(/^HTTP\/1\.1 200 /);
    const admitted = rawSocket(t.baseUrl, FROM);
    admitted.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await admitted.closed).toMatch(/^HTTP\/1\.1 200 /);
    for (const c of idle) c.socket.destroy();
  });

  // An operator's or an app's automation keeps connections open too: before, their 101st got a 429.
  it('frees the slot of a connection that carried ADMIN_TOKEN or a webhook-API key, and not of a wrong admin token', async () => {
    const platform = new PlatformFixture(t.baseUrl);
    const app = await platform.registerApp(await platform.tenant(), 'cappedhooks', ['webhooks:manage']);
    const idle = Array.from({ length: MAX }, () => rawSocket(t.baseUrl, FROM));
    await Promise.all(idle.map((c) => c.connected));
    const answered = (c: (typeof idle)[number]): Promise<string> =>
      new Promise((resolve) => c.socket.on('data', () => c.received().includes('\r\n\r\n') && resolve(c.received())));
    const admittedOne = async (): Promise<void> => {
      const admitted = rawSocket(t.baseUrl, FROM);
      admitted.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(await admitted.closed).toMatch(/^HTTP\/1\.1 200 /);
    };

    const [wrong, operator, hooks] = idle as [(typeof idle)[number], (typeof idle)[number], (typeof idle)[number]];
    wrong.socket.write(`GET /api/v1/admin/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-the-admin-token\r\n\r\n`);
    expect(await answered(wrong)).toMatch(/^HTTP\/1\.1 401 /);
    expect(await rawSocket(t.baseUrl, FROM).closed).toMatch(/^HTTP\/1\.1 429 /);

    operator.socket.write(`GET /api/v1/admin/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${PLATFORM_ADMIN_TOKEN}\r\n\r\n`);
    expect(await answered(operator)).toMatch(/^HTTP\/1\.1 200 /);
    await admittedOne();

    hooks.socket.write(`GET /api/v1/apps/${app.id}/webhooks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${app.key}\r\n\r\n`);
    expect(await answered(hooks)).toMatch(/^HTTP\/1\.1 200 /);
    // Two slots free now (the operator's and the app's): both admitted while the first is still open.
    const held = rawSocket(t.baseUrl, FROM);
    await held.connected;
    await admittedOne();
    held.socket.destroy();
    for (const c of idle) c.socket.destroy();
  });
});
