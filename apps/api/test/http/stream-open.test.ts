import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StreamOpenShedder } from '../../src/http/stream-open-shedder.js';
import { logIn, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const ALLOWED = 'http://app.example.test:8080';

/**
 * The stream open is served on the node:http request event, ahead of express (stream-fast-path.ts):
 * what express middleware gave it before (CORS, the common headers, the query guard, bearer-or-cookie
 * auth, JSON errors, metrics) must still be there.
 */
describe('GET /api/v1/stream, served ahead of express', () => {
  let t: TestApi;
  let alice: LoggedIn;

  beforeAll(async () => {
    t = await startTestApi({ env: { CORS_ORIGINS: ALLOWED, STREAM_MAX_PENDING_OPENS: '1' } });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** Opens the stream, returns its answer's status and headers (and body unless it is a stream), and closes it. */
  async function open(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body?: unknown }> {
    const abort = new AbortController();
    const res = await fetch(`${t.baseUrl}${path}`, { headers, signal: abort.signal });
    const isStream = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const body = isStream ? undefined : await res.json();
    abort.abort();
    return { status: res.status, headers: res.headers, ...(body !== undefined && { body }) };
  }

  it('answers a CORS preflight for the stream with Last-Event-ID allowed', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/stream`, {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'last-event-id' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toContain('Last-Event-ID');
  });

  it('opens with the session cookie from an allowed origin, with CORS and the common headers', async () => {
    const res = await open('/api/v1/stream', { Origin: ALLOWED, Cookie: alice.cookie, 'X-Request-Id': 'open-1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('x-request-id')).toBe('open-1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives a cookie open from a foreign origin no CORS headers, so its page cannot read the stream', async () => {
    const res = await open('/api/v1/stream', { Origin: 'http://evil.example.test', Cookie: alice.cookie });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('opens with a bearer token, which wins over a cookie', async () => {
    const res = await open('/api/v1/stream?types=notification.created', { Authorization: `Bearer ${alice.token}`, Cookie: 'pushline_session=not-a-token' });
    expect(res.status).toBe(200);
    const bad = await open('/api/v1/stream', { Authorization: 'Bearer not-a-token', Cookie: alice.cookie });
    expect(bad.status).toBe(401);
  });

  it('answers a missing or bad token with a 401 JSON error', async () => {
    const res = await open('/api/v1/stream', {});
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    expect((await open('/api/v1/stream', { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('refuses a repeated or malformed query parameter and a bad cursor with a 400 naming the field', async () => {
    const twice = await open('/api/v1/stream?types=a&types=b', { Authorization: `Bearer ${alice.token}` });
    expect(twice).toMatchObject({ status: 400, body: { error: { field: 'types' } } });
    const nul = await open('/api/v1/stream?deviceId=%00', { Authorization: `Bearer ${alice.token}` });
    expect(nul).toMatchObject({ status: 400, body: { error: { field: 'deviceId' } } });
    const header = await open('/api/v1/stream?lastEventId=1', { Authorization: `Bearer ${alice.token}`, 'Last-Event-ID': 'garbage' });
    expect(header).toMatchObject({ status: 400, body: { error: { field: 'Last-Event-ID' } } });
    const query = await open('/api/v1/stream?lastEventId=garbage', { Authorization: `Bearer ${alice.token}` });
    expect(query).toMatchObject({ status: 400, body: { error: { field: 'lastEventId' } } });
  });

  it('sheds an open beyond the pending bound with an ended event stream that says when to retry, then opens again', async () => {
    // One open still being authenticated holds the only pending slot (STREAM_MAX_PENDING_OPENS=1).
    const shedder = t.api.services.get(StreamOpenShedder);
    const holding = new ServerResponse(new IncomingMessage(new Socket()));
    expect(shedder.tryAdmit(holding)).toBe(true);
    const shedBefore = shedder.shed;
    const res = await fetch(`${t.baseUrl}/api/v1/stream`, { headers: { Authorization: `Bearer ${alice.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await res.text()).toMatch(/^retry: \d+\n: busy, retry\n\n$/);
    expect(shedder.shed).toBe(shedBefore + 1);
    shedder.started(holding);
    expect((await open('/api/v1/stream', { Authorization: `Bearer ${alice.token}` })).status).toBe(200);
  });

  it('counts the opens in the HTTP metrics under the stream route', async () => {
    await open('/api/v1/stream', {});
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/api\/v1\/stream"[^}]*status="401"[^}]*\} [1-9]/);
  });
});
