import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnauthenticatedConnectionCap } from '../../src/http/connection-cap.js';
import { forgetCredentials } from '../../src/http/ws-upgrade-request.js';
import { logIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * An open stream's request and socket live for hours: what they keep is kept per device
 * (docs/benchmarks.md §12). These check that the credentials and the connection cap's listener
 * are let go once the open is authenticated.
 */
describe('what an authenticated stream request keeps', () => {
  let server: Server;
  let url: string;
  const seen: { raw: string[]; headers: IncomingMessage['headers'] }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      void req.headers.authorization; // read, as authentication does, so `headers` is materialised
      forgetCredentials(req);
      seen.push({ raw: [...req.rawHeaders], headers: { ...req.headers } });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('blanks the bearer token and the cookie in both header views, and leaves every other header as it was', async () => {
    await fetch(`${url}/api/v1/stream`, { headers: { Authorization: 'Bearer secret-token', Cookie: 'pushline_session=secret-cookie', 'X-Device-Id': 'phone-1' } });
    const [{ raw, headers }] = seen.splice(0) as [(typeof seen)[number]];
    expect(raw.join('\n')).not.toMatch(/secret/);
    expect(headers.authorization).toBe('');
    expect(headers.cookie).toBe('');
    expect(headers['x-device-id']).toBe('phone-1');
    expect(raw[raw.findIndex((n) => n.toLowerCase() === 'x-device-id') + 1]).toBe('phone-1');
  });

  it('adds nothing to a request that carried no credentials', async () => {
    await fetch(`${url}/api/v1/stream`);
    const [{ headers }] = seen.splice(0) as [(typeof seen)[number]];
    expect('authorization' in headers).toBe(false);
    expect('cookie' in headers).toBe(false);
  });
});

describe('the unauthenticated-connection cap on an authenticated socket', () => {
  it('takes its close listener off, and a later close counts nothing twice', () => {
    const server = new EventEmitter() as Server;
    const cap = new UnauthenticatedConnectionCap(5);
    cap.attach(server);
    const [streaming, idle] = [new Socket(), new Socket()];
    const listeners = streaming.listenerCount('close');
    server.emit('connection', streaming);
    server.emit('connection', idle);
    expect(cap.pendingOf('unknown')).toBe(2);
    expect(streaming.listenerCount('close')).toBe(listeners + 1);

    cap.authenticated(streaming);
    expect(streaming.listenerCount('close')).toBe(listeners);
    expect(cap.pendingOf('unknown')).toBe(1);
    streaming.emit('close', false);
    expect(cap.pendingOf('unknown')).toBe(1);

    idle.emit('close', false);
    expect(cap.pendingOf('unknown')).toBe(0);
  });
});

// Without CORS nothing calls setHeader before the head: the common headers go out with writeHead.
describe('the common headers of a stream open, written with its head', () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi();
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('answers an open with the request id, nosniff and the stream headers, and an error with the API headers', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const abort = new AbortController();
    const opened = await fetch(`${t.baseUrl}/api/v1/stream`, { headers: { Authorization: `Bearer ${alice.token}`, 'X-Request-Id': 'open-2' }, signal: abort.signal });
    expect(opened.status).toBe(200);
    expect(Object.fromEntries(['content-type', 'cache-control', 'x-content-type-options', 'x-request-id', 'x-accel-buffering'].map((h) => [h, opened.headers.get(h)]))).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-content-type-options': 'nosniff',
      'x-request-id': 'open-2',
      'x-accel-buffering': 'no',
    });
    abort.abort();

    const refused = await fetch(`${t.baseUrl}/api/v1/stream`, { headers: { 'X-Request-Id': 'open-3' } });
    expect(refused.status).toBe(401);
    expect([refused.headers.get('cache-control'), refused.headers.get('x-content-type-options'), refused.headers.get('x-request-id')]).toEqual(['no-store', 'nosniff', 'open-3']);
    await refused.text();
  });
});
