import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CapturedLog } from '../support/captured-log.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * Above `info` (here `LOG_LEVEL=warn`) the per-request line comes from the quiet logger, not pino-http
 * (decision 57): the same fields for the lines that are written, nothing for the rest.
 */
describe('request log at LOG_LEVEL=warn', () => {
  let t: TestApi;
  let alice: LoggedIn;
  const log = new CapturedLog();
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    t = await startTestApi({ env: { LOG_LEVEL: 'warn' }, logDestination: log });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.stop();
  });

  const requestLines = (from: number) => log.records().slice(from).filter((r) => r['req'] !== undefined && r['res'] !== undefined);

  it('writes no line for a 2xx, and still gives the request its id (header and the events it causes)', async () => {
    const phone = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: alice.token });
    clients.push(phone);
    await phone.waitForOpen();
    const from = log.lines.length;

    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, headers: { 'X-Request-Id': 'req-quiet-1' }, body: { title: 'quiet' } });
    const other = await request(t.baseUrl, 'GET', '/api/v1/me', { bearer: alice.token });

    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('req-quiet-1');
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await phone.waitForEvent('notification.created', (e) => (e['data'] as { notificationId?: string }).notificationId === created.body.id);
    const event = phone.ofType('notification.created').find((e) => (e.data['data'] as { notificationId?: string }).notificationId === created.body.id);
    expect(event?.data).toMatchObject({ correlationid: 'req-quiet-1' });
    // A 4xx after them is logged: every line before it is in, and none of them is a request line.
    await request(t.baseUrl, 'GET', '/api/v1/me');
    await log.until((lines) => lines.slice(from).some((l) => l.includes('"statusCode":401')));
    expect(requestLines(from).map((r) => (r['res'] as { statusCode: number }).statusCode)).toEqual([401]);
  });

  it('writes a 4xx as one warn line with the fields pino-http writes, credentials and URL secrets redacted', async () => {
    const from = log.lines.length;

    const refused = await request(t.baseUrl, 'GET', '/api/v1/notifications?access_token=leaked-secret&limit=5', { bearer: 'not-a-valid-token', headers: { 'X-Request-Id': 'req-quiet-2' } });

    expect(refused.status).toBe(401);
    await log.until((lines) => lines.slice(from).some((l) => l.includes('req-quiet-2')));
    const lines = requestLines(from);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(/^GET \/api\/v1\/notifications 401 \d+ ms$/),
        req: expect.objectContaining({
          id: 'req-quiet-2',
          method: 'GET',
          url: '/api/v1/notifications?access_token=[redacted]&limit=5',
          query: { access_token: '[redacted]', limit: '5' },
          headers: expect.objectContaining({ authorization: '[redacted]', 'x-request-id': 'req-quiet-2' }),
          remoteAddress: expect.any(String),
        }),
        res: expect.objectContaining({ statusCode: 401, headers: expect.objectContaining({ 'x-request-id': 'req-quiet-2' }) }),
        responseTime: expect.any(Number),
      }),
    ]);
    expect(log.lines.slice(from).join('\n')).not.toContain('leaked-secret');
    expect(log.lines.slice(from).join('\n')).not.toContain('not-a-valid-token');
  });

  it('writes a refused stream open as one warn line from the stream path, with its request id and time', async () => {
    const from = log.lines.length;
    const refused = await request(t.baseUrl, 'GET', '/api/v1/stream?lastEventId=1', { bearer: 'not-a-valid-token', headers: { 'X-Request-Id': 'req-stream-1' } });

    expect(refused.status).toBe(401);
    await log.until((lines) => lines.slice(from).some((l) => l.includes('req-stream-1')));
    expect(requestLines(from)).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(/^GET \/api\/v1\/stream 401 \d+ ms$/),
        req: { id: 'req-stream-1', method: 'GET', url: '/api/v1/stream' },
        res: { statusCode: 401 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(Number.isInteger(requestLines(from)[0]!['responseTime'])).toBe(true);
  });
});
