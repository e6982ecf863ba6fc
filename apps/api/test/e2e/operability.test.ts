import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { createMetricsRegistry } from '@pushline/metrics-prometheus';
import { DEFAULT_STREAM_HUB_OPTIONS, StreamHub } from '@pushline/stream-engine';
import { FixedClock, InMemoryEventStore } from '@pushline/testing';
import express from 'express';
import { adminRoutes } from '../../src/http/admin.routes.js';
import { requireAdmin } from '../../src/http/admin-auth.middleware.js';
import { metricsRoutes } from '../../src/http/metrics.routes.js';
import { CapturedLog } from '../support/captured-log.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const ADMIN_TOKEN = 'admin-token-for-the-operability-test';
const ALICE_PASSWORD = 'alice-demo-password';

/** Parses the Prometheus text format into `name{label="v",…}` → value, labels in the order given. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** Sum of the samples of `name` whose labels include all of `labels` (0 when none). */
function valueOf(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of samples) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

/** Failure bound of every wait: generous, because the whole suite shares two cores. */
const WITHIN_MS = 20_000;

const opened = (c: StreamClient): Promise<void> => c.waitUntil(() => c.readyState === 1, 'the stream to open', WITHIN_MS);

const received = (c: StreamClient, type: string, notificationId?: string): Promise<void> =>
  c.waitUntil(
    () => c.ofType(type).some((e) => notificationId === undefined || (e.data.data as { notificationId?: string }).notificationId === notificationId),
    `a ${type} event`,
    WITHIN_MS,
  );

/** An in-memory log destination: every line pino writes. */
describe('operability: metrics, admin stats, logs', () => {
  let t: TestApi;
  let alice: LoggedIn;
  const log = new CapturedLog();
  const clients: StreamClient[] = [];

  const stream = (credentials: ConstructorParameters<typeof StreamClient>[1], query = ''): StreamClient => {
    const client = new StreamClient(`${t.baseUrl}/api/v1/stream${query}`, credentials);
    clients.push(client);
    return client;
  };

  const scrape = async (): Promise<Map<string, number>> => {
    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return parseMetrics(await res.text());
  };

  /** Scrapes until `condition` holds: the relay counts a batch after the broker took it. */
  const scrapeUntil = async (condition: (m: Map<string, number>) => boolean, what: string): Promise<Map<string, number>> => {
    const deadline = Date.now() + WITHIN_MS;
    for (;;) {
      const samples = await scrape();
      if (condition(samples)) return samples;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  };

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN, INSTANCE_ID: 'api-test-1' }, logDestination: log });
    alice = await logIn(t.baseUrl, 'alice@example.com', ALICE_PASSWORD);
  });

  // Every test starts with no stream open, even after one that failed midway.
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await scrapeUntil((m) => valueOf(m, 'pushline_stream_connections') === 0, 'every stream to close');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('counts connections, published, delivered and replayed events, and the disconnect', async () => {
    const before = await scrape();
    const sse = { transport: 'sse' };
    const created = { type: 'notification.created' };

    const phone = stream({ bearer: alice.token, headers: { 'X-Device-Id': 'ops-phone' } });
    await opened(phone);
    const open = await scrape();
    expect(valueOf(open, 'pushline_stream_connections', sse)).toBe(valueOf(before, 'pushline_stream_connections', sse) + 1);
    expect(valueOf(open, 'pushline_stream_users')).toBeGreaterThanOrEqual(1);
    expect(valueOf(open, 'pushline_stream_users', { instance: 'api-test-1' })).toBeGreaterThanOrEqual(1);

    const res = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: 'metrics' } });
    expect(res.status).toBe(201);
    await received(phone, 'notification.created', res.body.id);
    // The create is followed by notification.counts in the same commit: two delivered entries.
    await received(phone, 'notification.counts');
    const after = await scrapeUntil(
      (m) => valueOf(m, 'pushline_events_published_total', created) > valueOf(before, 'pushline_events_published_total', created),
      'the relay to count the published event',
    );
    expect(valueOf(after, 'pushline_events_delivered_total', { ...created, ...sse })).toBe(
      valueOf(before, 'pushline_events_delivered_total', { ...created, ...sse }) + 1,
    );
    expect(valueOf(after, 'pushline_event_delivery_latency_seconds_count')).toBe(valueOf(before, 'pushline_event_delivery_latency_seconds_count') + 2);
    // The relay marks the batch published in the transaction that commits after the broker took it.
    await scrapeUntil((m) => valueOf(m, 'pushline_outbox_backlog') === 0, 'the outbox backlog to drain');
    // Published at its commit (the fast path): no drain had to publish it.
    expect([...after.keys()].some((key) => key.startsWith('pushline_outbox_drained_total'))).toBe(true);
    expect(valueOf(after, 'pushline_outbox_drained_total')).toBe(valueOf(before, 'pushline_outbox_drained_total'));

    // A device resuming from cursor 0 gets the entry again, from the log.
    const tablet = stream({ bearer: alice.token }, '?lastEventId=0');
    await received(tablet, 'notification.created', res.body.id);
    const replayed = await scrape();
    expect(valueOf(replayed, 'pushline_events_replayed_total', sse)).toBeGreaterThan(valueOf(before, 'pushline_events_replayed_total', sse));

    phone.close();
    tablet.close();
    const closed = await scrapeUntil(
      (m) => valueOf(m, 'pushline_stream_connections', sse) === valueOf(before, 'pushline_stream_connections', sse),
      'both streams to be counted as closed',
    );
    expect(valueOf(closed, 'pushline_stream_closed_total', { ...sse, reason: 'client_closed' })).toBe(
      valueOf(before, 'pushline_stream_closed_total', { ...sse, reason: 'client_closed' }) + 2,
    );
  });

  it('labels HTTP metrics with route patterns, never raw paths', async () => {
    const id = '0b7e7a52-5d1c-4c55-9a3e-3f4b2f1c9d77';
    await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${id}`, { bearer: alice.token, body: { status: 'read' } });
    await request(t.baseUrl, 'GET', '/api/v1/notifications', { bearer: alice.token });
    await request(t.baseUrl, 'GET', '/no-such-page-7f3a');

    const res = await fetch(`${t.baseUrl}/metrics`);
    const text = await res.text();
    const samples = parseMetrics(text);
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route: '/api/v1/notifications', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'http_requests_total', { method: 'PATCH', route: '/api/v1/notifications/:id', status: '404' })).toBe(1);
    expect(valueOf(samples, 'http_request_duration_seconds_count', { route: '/api/v1/notifications' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id);
    expect(text).not.toContain('no-such-page');
  });

  it('serves /metrics to loopback only, also behind a proxy that forwards an outside client', async () => {
    const res = await request(t.baseUrl, 'GET', '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'forbidden' }) });
  });

  it('answers admin stats for the admin token only, with this instance and its devices', async () => {
    expect((await request(t.baseUrl, 'GET', '/api/v1/admin/stats')).status).toBe(401);
    expect((await request(t.baseUrl, 'GET', '/api/v1/admin/stats', { bearer: alice.token })).status).toBe(401);
    expect((await request(t.baseUrl, 'GET', '/api/v1/admin/stats', { cookie: alice.cookie })).status).toBe(401);

    const bob = await logIn(t.baseUrl, 'bob@example.com', 'bob-demo-password');
    const devices = [stream({ bearer: alice.token }), stream({ cookie: alice.cookie }), stream({ bearer: bob.token })];
    await Promise.all(devices.map(opened));

    const res = await request(t.baseUrl, 'GET', '/api/v1/admin/stats', { bearer: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      instance: { id: 'api-test-1', startedAt: expect.any(String), uptimeSeconds: expect.any(Number) },
      activeUsers: 2,
      totalDevices: 3,
      devicesPerUser: { max: 2, distribution: { '1': 1, '2': 1 } },
    });
  });

  it('never logs a password, token or cookie, and carries the request id into the events it causes', async () => {
    const start = log.lines.length;
    const me = await logIn(t.baseUrl, 'alice@example.com', ALICE_PASSWORD);
    const cookieValue = me.cookie.split('=')[1] ?? '';
    expect(cookieValue.length).toBeGreaterThan(20);

    const tab = stream({ cookie: me.cookie, headers: { 'X-Device-Id': 'ops-tab' } });
    const app = stream({ bearer: me.token });
    await Promise.all([opened(tab), opened(app)]);
    expect((await request(t.baseUrl, 'GET', '/api/v1/me', { bearer: me.token })).status).toBe(200);
    expect((await request(t.baseUrl, 'GET', '/api/v1/notifications', { cookie: me.cookie })).status).toBe(200);
    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', {
      bearer: me.token,
      headers: { 'X-Request-Id': 'req-ops-redaction-1' },
      body: { title: 'correlated' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('req-ops-redaction-1');
    await received(app, 'notification.created', created.body.id);
    const envelope = app.ofType('notification.created').find((e) => (e.data.data as { notificationId?: string }).notificationId === created.body.id);
    expect(envelope?.data).toMatchObject({ correlationid: 'req-ops-redaction-1', causationid: 'req-ops-redaction-1' });

    expect((await request(t.baseUrl, 'POST', '/api/v1/auth/logout', { bearer: me.token })).status).toBeLessThan(300);
    // Logout closes the session's streams (and logs it) before it answers.
    await Promise.all([tab, app].map((c) => received(c, 'stream.closed')));

    const lines = log.lines.slice(start).join('\n');
    expect(lines).not.toContain(ALICE_PASSWORD);
    expect(lines).not.toContain(me.token);
    expect(lines).not.toContain(cookieValue);
    expect(lines).not.toContain(ADMIN_TOKEN);
    // The headers were logged, with the credentials censored (not simply left out of the log).
    expect(lines).toContain('"authorization":"[redacted]"');
    expect(lines).toContain('"cookie":"[redacted]"');

    const records = log.records().slice(start);
    // One record per request: the message is the short line a person reads, the req/res objects are behind it.
    const requests = records.filter((r) => r.req !== undefined && r.res !== undefined);
    const paths = requests.map((r) => (r.req as { url: string; method: string }).method + ' ' + (r.req as { url: string }).url);
    expect(paths).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/me', 'POST /api/v1/notifications', 'POST /api/v1/auth/logout']));
    expect(requests.map((r) => r.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^POST \/api\/v1\/notifications 201 \d+ ms$/)]));
    expect(requests.every((r) => typeof (r.req as { id?: unknown }).id === 'string')).toBe(true);
    expect(requests.find((r) => (r.req as { id: string }).id === 'req-ops-redaction-1')).toBeDefined();
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'stream opened', stream: { userId: me.userId, deviceId: 'ops-tab', transport: 'sse' } }),
      ]),
    );
    expect(records.filter((r) => r.msg === 'stream closed' && r.reason === 'session_revoked')).toHaveLength(2);
  });
});

describe('operability endpoints, configured differently', () => {
  let server: Server;
  let baseUrl: string;
  const METRICS_TOKEN = 'metrics-token-for-the-test';

  beforeAll(async () => {
    const hub = new StreamHub(new InMemoryStreamBroker(), new InMemoryEventStore(), new FixedClock('2026-01-01T00:00:00Z'), DEFAULT_STREAM_HUB_OPTIONS, () => {});
    const registry = createMetricsRegistry({ processMetrics: false, connectedUsers: () => 0, outboxBacklog: async () => 0 });
    const app = express();
    app.use(metricsRoutes({ registry, token: METRICS_TOKEN }));
    // No ADMIN_TOKEN: the admin API is off.
    app.use('/api/v1', adminRoutes({ hub, instanceId: 'x', startedAt: new Date(), requireAdmin: requireAdmin(undefined) }));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('with METRICS_TOKEN, /metrics needs it even from loopback', async () => {
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    const ok = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}`, 'x-forwarded-for': '203.0.113.7' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('pushline_outbox_backlog 0');
  });

  it('without ADMIN_TOKEN, the admin API does not exist', async () => {
    const res = await request(baseUrl, 'GET', '/api/v1/admin/stats', { bearer: 'anything-at-all-here' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
  });
});
