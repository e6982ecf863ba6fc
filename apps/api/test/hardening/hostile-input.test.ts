import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CapturedLog } from '../support/captured-log.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Issue #9, findings 3, 8 and 10: input that made 500s (and stack traces), sloppy errors, tokens in logs. */
describe('hostile input', () => {
  let t: TestApi;
  let alice: LoggedIn;
  const log = new CapturedLog();

  beforeAll(async () => {
    t = await startTestApi({ logDestination: log });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  });

  afterAll(async () => {
    await t?.stop();
  });

  const expectFieldError = (res: { status: number; body: Record<string, unknown> }, field: string, message?: RegExp) => {
    expect({ status: res.status, field: (res.body.error as { field?: string })?.field }).toEqual({ status: 400, field });
    if (message) expect((res.body.error as { message: string }).message).toMatch(message);
  };
  const create = (rawBody: string) => request(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, rawBody });

  it.each([
    ['a NUL in the title', '{"title":"a\\u0000b"}', 'title'],
    ['a lone surrogate in the title', '{"title":"a\\ud800b"}', 'title'],
    ['a NUL in a data key', '{"title":"t","data":{"k\\u0000":1}}', 'data'],
    ['a lone surrogate in a data value', '{"title":"t","data":{"k":"\\udfff"}}', 'data.k'],
    ['data 125 levels deep', JSON.stringify({ title: 't', data: nested(125) }), 'data.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a'],
    ['data 9 levels deep', JSON.stringify({ title: 't', data: nested(9) }), 'data'],
  ])('answers 400 naming the field for %s', async (_, body, field) => {
    expectFieldError(await create(body), field);
  });

  it('answers 400 for a NUL or lone surrogate in a login email, before any login', async () => {
    for (const email of ['alice\\u0000@example.com', 'alice\\ud800@example.com']) {
      const res = await request(t.baseUrl, 'POST', '/api/v1/auth/login', { rawBody: `{"email":"${email}","password":"x"}` });
      expectFieldError(res, 'email', /NUL|surrogate/);
    }
  });

  it.each([
    ['a negative-year date', b64('-000001-01-01T00:00:00.000Z|n1')],
    ['a NUL', b64('2026-01-01T00:00:00.000Z|n\u0000')],
  ])('answers 400 for a before= cursor that decodes to %s', async (_, cursor) => {
    expectFieldError(await request(t.baseUrl, 'GET', `/api/v1/notifications?before=${cursor}`, { bearer: alice.token }), 'before');
  });

  it('answers 400 naming id for a NUL or a malformed %-escape in the PATCH id', async () => {
    for (const id of ['%00', '%E0%A4%A', '%ZZ']) {
      const res = await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${id}`, { bearer: alice.token, body: { status: 'read' } });
      expectFieldError(res, 'id');
    }
  });

  it('says what a wrong type must be, and "is required" only when it is missing', async () => {
    expectFieldError(await create('{"title":5}'), 'title', /^title must be a string$/);
    expectFieldError(await create('{"title":"t","data":"x"}'), 'data', /must be an object/);
    expectFieldError(await create('{}'), 'title', /^title is required$/);
    expectFieldError(await request(t.baseUrl, 'GET', '/api/v1/events?limit=abc', { bearer: alice.token }), 'limit', /must be a number/);
  });

  it.each([
    ['/api/v1/stream?lastEventId=1&lastEventId=2', 'lastEventId'],
    ['/api/v1/stream?types=a&types=b', 'types'],
    ['/api/v1/notifications?limit=1&limit=2', 'limit'],
    ['/api/v1/events?after=1&after=2', 'after'],
  ])('refuses a repeated query parameter: %s', async (path, field) => {
    expectFieldError(await request(t.baseUrl, 'GET', path, { bearer: alice.token }), field, /once/);
  });

  it('answers oversized headers with the JSON error (431)', async () => {
    const raw = await rawExchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
  });

  it('logged none of it at error level, and no stack trace', () => {
    const errors = log.records().filter((r) => (r.level as number) >= 50);
    expect(errors).toEqual([]);
    expect(log.text).not.toContain('"stack"');
  });

  it('redacts tokens in URLs from every log line', async () => {
    const secret = 'eyJsecret-token-in-the-url';
    const start = log.lines.length;
    await request(t.baseUrl, 'GET', `/api/v1/notifications?access_token=${secret}&api_key=${secret}`, { bearer: alice.token });
    await request(t.baseUrl, 'GET', `/api/v1/me?token=${secret}`);
    const lines = log.lines.slice(start);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).toContain('access_token=[redacted]');
  });

  it('marks token answers and API JSON no-store, and every answer nosniff', async () => {
    const login = await request(t.baseUrl, 'POST', '/api/v1/auth/login', { body: { email: 'alice@example.com', password: 'alice-demo-password' } });
    const refreshed = await request(t.baseUrl, 'POST', '/api/v1/auth/refresh', { bearer: login.body.accessToken as string });
    const list = await request(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: alice.token });
    const missing = await request(t.baseUrl, 'GET', '/api/v1/nothing-here');
    for (const res of [login, refreshed, list, missing]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  function rawExchange(text: string): Promise<string> {
    const url = new URL(t.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
      socket.write(text);
    });
  }
});
