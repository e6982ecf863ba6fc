import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { CapturedLog } from '../support/captured-log.js';
import { logIn, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { fieldValue, headerValue, hostileJson, hostileString, queryString, urlPart } from './hostile-arbitraries.js';

/**
 * Issue #9: generated hostile input at every route and both stream transports. Never a 5xx, always the
 * JSON error (with `field` on a 400), nothing half-written. `npm test` runs a fixed seed and a small
 * budget; `npm run fuzz` a large one (FUZZ_RUNS, FUZZ_SEED).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true };

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

describe('fuzz: hostile input at every route', () => {
  let t: TestApi;
  let alice: LoggedIn;
  const log = new CapturedLog();
  let created = 0;

  beforeAll(async () => {
    t = await startTestApi({
      logDestination: log,
      env: { WRITE_RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_ACCOUNT_FAILURES_PER_HOUR: '1000000' },
    });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  const send = async (method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; auth?: boolean } = {}): Promise<Answer> => {
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const res = await fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(options.auth !== false && { authorization: `Bearer ${alice.token}` }), ...options.headers },
      ...(body !== undefined && { body }),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), text };
  };

  const expectWellFormed = (answer: Answer, what: string): void => {
    const context = `${what} → ${answer.status} ${answer.text.slice(0, 300)}`;
    if (answer.status >= 500) throw new Error(`5xx: ${context}`);
    if (answer.status < 400) return;
    if (!answer.contentType?.includes('application/json')) throw new Error(`error without JSON: ${context}`);
    const error = (JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown; field?: unknown } }).error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') throw new Error(`not the error shape: ${context}`);
    if (answer.status === 400 && (typeof error.field !== 'string' || error.field.length === 0)) throw new Error(`400 without a field: ${context}`);
  };

  /**
   * Bodies: mostly valid ones with one field made hostile (so the hostile value gets past the other
   * fields' checks to wherever it could do harm), then every field at random, any JSON, and raw text.
   */
  const body = (fields: Record<string, fc.Arbitrary<unknown>>) => {
    const valid = fc.record(fields);
    const oneHostile = fc
      .tuple(valid, fc.constantFrom(...Object.keys(fields)), fc.oneof({ arbitrary: hostileString, weight: 3 }, { arbitrary: hostileJson, weight: 2 }, fc.constant(undefined)))
      .map(([o, key, value]) => ({ body: { ...o, [key]: value } }));
    return fc.oneof(
      { arbitrary: oneHostile, weight: 5 },
      { arbitrary: valid.map((o) => ({ body: o })), weight: 1 },
      { arbitrary: fc.record(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fieldValue(v)]))).map((o) => ({ body: o })), weight: 2 },
      { arbitrary: hostileJson.map((v) => ({ body: v })), weight: 1 },
      { arbitrary: fc.oneof(hostileString, fc.constantFrom('{', '{"title":', '[1,', 'null', '"x"', '{"a":1}}', '\u0000')).map((raw) => ({ rawBody: raw })), weight: 1 },
    );
  };

  it('POST /notifications', async () => {
    await fc.assert(
      fc.asyncProperty(body({ title: fc.string({ minLength: 1, maxLength: 30 }), body: fc.string(), priority: fc.constantFrom('low', 'normal', 'high'), data: fc.oneof(fc.object({ maxDepth: 3 }), fc.dictionary(hostileString, hostileString, { maxKeys: 3 })) }), async (input) => {
        const answer = await send('POST', '/api/v1/notifications', input);
        if (answer.status === 201) created += 1;
        expectWellFormed(answer, `POST /notifications ${JSON.stringify(input).slice(0, 200)}`);
      }),
      params,
    );
  });

  it('PATCH /notifications/:id', async () => {
    await fc.assert(
      fc.asyncProperty(urlPart, body({ status: fc.constantFrom('read', 'dismissed', 'clicked', 'unread') }), async (id, input) => {
        expectWellFormed(await send('PATCH', `/api/v1/notifications/${id || 'x'}`, input), `PATCH ${id}`);
      }),
      params,
    );
  });

  it.each([
    ['GET', '/api/v1/notifications', ['limit', 'before']],
    ['GET', '/api/v1/events', ['after', 'limit']],
    ['GET', '/api/v1/me', ['x']],
  ] as const)('%s %s with hostile queries', async (method, path, names) => {
    await fc.assert(
      fc.asyncProperty(queryString(names), async (query) => {
        expectWellFormed(await send(method, `${path}${query}`), `${method} ${path}${query}`);
      }),
      params,
    );
  });

  it.each([
    ['/api/v1/auth/login', { email: fc.emailAddress(), password: fc.string({ minLength: 1 }) }, false],
    ['/api/v1/auth/refresh', { anything: fc.string() }, true],
    ['/api/v1/presence/typing', { subject: fc.string({ minLength: 1, maxLength: 20 }), typing: fc.boolean() }, true],
  ] as const)('POST %s', async (path, fields, auth) => {
    await fc.assert(
      fc.asyncProperty(body(fields), async (input) => {
        expectWellFormed(await send('POST', path, { ...input, auth }), `POST ${path} ${JSON.stringify(input).slice(0, 200)}`);
      }),
      params,
    );
  });

  it('the SSE stream with hostile queries and Last-Event-ID', async () => {
    await fc.assert(
      fc.asyncProperty(queryString(['lastEventId', 'types', 'excludeOwn', 'deviceId']), fc.option(headerValue), async (query, lastEventId) => {
        const abort = new AbortController();
        const res = await fetch(`${t.baseUrl}/api/v1/stream${query}`, {
          headers: { authorization: `Bearer ${alice.token}`, ...(lastEventId !== null && { 'last-event-id': lastEventId }) },
          signal: abort.signal,
        });
        // An accepted stream stays open: only its status matters here.
        const text = res.status === 200 ? '' : await res.text();
        abort.abort();
        expectWellFormed({ status: res.status, contentType: res.headers.get('content-type'), text }, `SSE ${query} ${lastEventId}`);
      }),
      params,
    );
  });

  it('the WebSocket upgrade with hostile queries', async () => {
    await fc.assert(
      fc.asyncProperty(queryString(['lastEventId', 'types', 'excludeOwn', 'deviceId']), async (query) => {
        const answer = await upgrade(`${t.baseUrl.replace(/^http/, 'ws')}/api/v1/ws${query}`);
        expectWellFormed(answer, `WS ${query}`);
      }),
      params,
    );
  });

  it('wrote nothing half: one row and one event per created notification, and no error in the log', async () => {
    const prisma = t.api.database.prisma;
    expect(await prisma.notification.count({ where: { userId: alice.userId } })).toBe(created);
    expect(await prisma.streamEvent.count({ where: { userId: alice.userId, type: 'notification.created' } })).toBe(created);
    expect(log.records().filter((r) => (r.level as number) >= 50)).toEqual([]);
  });

  function upgrade(url: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url, { headers: { authorization: `Bearer ${alice.token}` } });
      } catch (error) {
        // The client itself refuses some URLs; nothing reached the server.
        resolve({ status: 0, contentType: null, text: String(error) });
        return;
      }
      socket.on('open', () => {
        socket.terminate();
        resolve({ status: 101, contentType: null, text: '' });
      });
      socket.on('error', (error) => reject(error));
      socket.on('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          socket.terminate();
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text });
        });
      });
    });
  }
});
