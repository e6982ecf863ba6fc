import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RegisterUser } from '@pushline/application';
import { DEMO_TENANT } from '../../src/demo-users.js';
import { findEventType } from '@pushline/domain';
import { RetentionJob } from '../../src/jobs/retention-job.js';

import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { StreamClient, type ReceivedEvent } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * Issue #3, "never lose an event", at the API: resume across reconnects, retention and
 * `stream.reset`, the polling fallback, connection hygiene, filters, originator echo and token
 * expiry, with real servers, real PostgreSQL (and PGlite) and real `eventsource` clients.
 */

const PASSWORD = 'durability-test-password';
const CONTROL = new Set(['stream.reset', 'stream.reauth', 'stream.closed']);

interface PolledEntry {
  readonly cursor: number;
  readonly type: string;
  readonly event: { id: string; type: string; data: Record<string, unknown> };
}
interface PolledPage {
  readonly events: PolledEntry[];
  readonly nextAfter: number;
  readonly headCursor: number;
  readonly reset?: { reason: string; cursor: number };
}

/** One server of the suite, with helpers bound to it; every test makes users of its own. */
class Harness {
  readonly clients: StreamClient[] = [];
  constructor(readonly t: TestApi) {}

  async newUser(): Promise<LoggedIn> {
    const email = `u-${randomUUID()}@example.com`;
    await this.t.api.services.get(RegisterUser).execute({ tenantId: DEMO_TENANT.id, email, password: PASSWORD });
    return logIn(this.t.baseUrl, email, PASSWORD);
  }

  stream(user: LoggedIn, query = '', headers: Record<string, string> = {}): StreamClient {
    const client = new StreamClient(`${this.t.baseUrl}/api/v1/stream${query}`, { bearer: user.token, headers });
    this.clients.push(client);
    return client;
  }

  /** Creates a notification and returns its id (one `notification.created` in the user's stream). */
  async create(user: LoggedIn, title: string, deviceId?: string): Promise<string> {
    const res = await request<{ id: string }>(this.t.baseUrl, 'POST', '/api/v1/notifications', {
      bearer: user.token,
      body: { title },
      ...(deviceId && { headers: { 'X-Device-Id': deviceId } }),
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  poll(user: LoggedIn, query: string): Promise<{ status: number; body: PolledPage & { error?: { code: string; field?: string } } }> {
    return request(this.t.baseUrl, 'GET', `/api/v1/events${query}`, { bearer: user.token });
  }

  /** Every entry after `after`, following `nextAfter` page by page. */
  async pollAll(user: LoggedIn, after = 0, limit = 500): Promise<PolledEntry[]> {
    const all: PolledEntry[] = [];
    for (;;) {
      const page = await this.poll(user, `?after=${after}&limit=${limit}`);
      expect(page.status).toBe(200);
      expect(page.body.reset).toBeUndefined();
      if (page.body.events.length === 0) return all;
      all.push(...page.body.events);
      after = page.body.nextAfter;
    }
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.close();
    await this.t.stop();
  }
}

/** The stored events a client received (control frames and ephemeral events carry no id of their own). */
function stored(client: StreamClient): ReceivedEvent[] {
  return client.events.filter((e) => !CONTROL.has(e.type) && findEventType(e.type)?.delivery !== 'ephemeral');
}

const createdIds = (events: readonly ReceivedEvent[]): unknown[] =>
  events.filter((e) => e.type === 'notification.created').map((e) => (e.data.data as { notificationId: string }).notificationId);

const hasCreated = (client: StreamClient, id: string) => () => createdIds(client.events).includes(id);

/**
 * What a resumed device got is exactly the log after `after`: ascending, no duplicate, nothing
 * missing (a latest-wins entry may be skipped for a newer one of its type), same envelopes.
 */
function expectExactlyTheLog(received: readonly ReceivedEvent[], log: readonly PolledEntry[]): void {
  const cursors = received.map((e) => Number(e.id));
  expect(cursors).toEqual([...new Set(cursors)].sort((a, b) => a - b));
  const mustArrive = log.filter((e) => findEventType(e.type)?.delivery !== 'latest-wins');
  const byCursor = new Map(received.map((e) => [Number(e.id), e]));
  for (const entry of mustArrive) expect(byCursor.get(entry.cursor)?.data.id).toBe(entry.event.id);
  const logged = new Map(log.map((e) => [e.cursor, e.event.id]));
  for (const e of received) expect(logged.get(Number(e.id))).toBe(e.data.id);
}

/** Reads the raw stream until `pattern` shows up; the timeout only bounds a failure. */
async function readRawUntil(url: string, bearer: string, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let text = '';
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  expect(text).toMatch(pattern);
  return text;
}

/**
 * A device saw cursor N, went away, missed events, and comes back with N, while more events are
 * being published: it gets N+1… in order, then live, with no gap and no duplicate at the seam.
 */
async function resumeAcrossTheSeam(h: Harness, via: 'header' | 'query'): Promise<void> {
  const user = await h.newUser();
  const first = h.stream(user);
  await first.waitForOpen();
  const early = [await h.create(user, 'early 1'), await h.create(user, 'early 2')];
  await first.waitUntil(hasCreated(first, early[1]!), 'the early events');
  const seen = Number(stored(first).at(-1)!.id);
  first.close();

  const missed: string[] = [];
  for (let i = 0; i < 12; i += 1) missed.push(await h.create(user, `missed ${i}`));

  const resumed =
    via === 'header' ? h.stream(user, '', { 'Last-Event-ID': String(seen) }) : h.stream(user, `?lastEventId=${seen}`);
  // Published while the device connects and replays: these cross the replay/live seam.
  const during: string[] = [];
  for (let i = 0; i < 12; i += 1) during.push(await h.create(user, `during ${i}`));
  await resumed.waitForOpen();
  const live = await h.create(user, 'live');
  await resumed.waitUntil(hasCreated(resumed, live), 'the live event after the replay');

  expect(resumed.ofType('stream.reset')).toEqual([]);
  expect(createdIds(resumed.events)).toEqual([...missed, ...during, live]);
  expect(Number(stored(resumed)[0]!.id)).toBe(seen + 1);
  expectExactlyTheLog(stored(resumed), await h.pollAll(user, seen));
}

describe('durable stream on PostgreSQL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = new Harness(
      await startTestApi({
        env: { STREAM_MAX_DEVICES_PER_USER: '2', SSE_HEARTBEAT_MS: '100', SSE_RETRY_MS: '1234', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
      }),
    );
  });

  afterAll(async () => {
    await h?.stop();
  });

  describe('resume', () => {
    it('with the Last-Event-ID header: exactly the missed events, then live, no gap or duplicate at the seam', async () => {
      await resumeAcrossTheSeam(h, 'header');
    });

    it('with ?lastEventId= on a first connection', async () => {
      await resumeAcrossTheSeam(h, 'query');
    });

    it('a device that drops before its first event resumes from where it opened: what came meanwhile is replayed', async () => {
      const user = await h.newUser();
      await h.create(user, 'before the device');
      // The open says where the device starts: `stream.position`, with that position as its id (EventSource keeps it as Last-Event-ID).
      const opened = await readRawUntil(`${h.t.baseUrl}/api/v1/stream`, user.token, /event: stream\.position\nid: \d+\ndata: .*\n\n/);
      const startedAt = /event: stream\.position\nid: (\d+)\ndata: (.*)\n\n/.exec(opened)!;
      expect(JSON.parse(startedAt[2]!)).toEqual({ position: startedAt[1] });
      expect(Number(startedAt[1])).toBeGreaterThan(0);
      const missed = [await h.create(user, 'while away 1'), await h.create(user, 'while away 2')];

      const back = h.stream(user, '', { 'Last-Event-ID': startedAt[1]! });
      await back.waitUntil(hasCreated(back, missed[1]!), 'the events created while the device was away');
      expect(createdIds(back.events)).toEqual(missed);
      expect(back.ofType('stream.reset')).toEqual([]);
      expectExactlyTheLog(stored(back), await h.pollAll(user, Number(startedAt[1])));
    });

    it('refuses a malformed or repeated cursor with 400 naming the field, as the polling endpoint does', async () => {
      const user = await h.newUser();
      for (const [field, query, headers] of [
        ['lastEventId', '?lastEventId=-1', {}],
        ['lastEventId', '?lastEventId=1e3', {}],
        ['lastEventId', '?lastEventId=1&lastEventId=2', {}],
        ['Last-Event-ID', '', { 'Last-Event-ID': 'abc' }],
        ['Last-Event-ID', '?lastEventId=1', { 'Last-Event-ID': '1000000000000000' }],
      ] as const) {
        const res = await fetch(`${h.t.baseUrl}/api/v1/stream${query}`, { headers: { authorization: `Bearer ${user.token}`, ...headers } });
        expect({ query, headers, status: res.status }).toEqual({ query, headers, status: 400 });
        expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', field } });
      }
    });
  });

  describe('polling fallback', () => {
    it('returns the same events as the stream, in order, page by page', async () => {
      const user = await h.newUser();
      const device = h.stream(user);
      await device.waitForOpen();
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) ids.push(await h.create(user, `poll ${i}`));
      const read = await request(h.t.baseUrl, 'PATCH', `/api/v1/notifications/${ids[0]}`, { bearer: user.token, body: { status: 'read' } });
      expect(read.status).toBe(200);
      await device.waitForEvent('notification.read');

      const all = await h.poll(user, '');
      expect(all.status).toBe(200);
      const streamed = stored(device).map((e) => ({ cursor: Number(e.id), type: e.type, id: e.data.id }));
      expect(all.body.events.map((e) => ({ cursor: e.cursor, type: e.type, id: e.event.id }))).toEqual(streamed);
      expect(all.body.events.map((e) => e.event)).toEqual(stored(device).map((e) => e.data));
      expect(all.body.headCursor).toBe(streamed.at(-1)!.cursor);
      expect(all.body.nextAfter).toBe(streamed.at(-1)!.cursor);

      const pages: number[][] = [];
      let after = 0;
      for (;;) {
        const page = await h.poll(user, `?after=${after}&limit=2`);
        expect(page.body.headCursor).toBe(all.body.headCursor);
        if (page.body.events.length === 0) {
          expect(page.body.nextAfter).toBe(after);
          break;
        }
        expect(page.body.events.length).toBeLessThanOrEqual(2);
        pages.push(page.body.events.map((e) => e.cursor));
        after = page.body.nextAfter;
      }
      expect(pages.flat()).toEqual(streamed.map((e) => e.cursor));
      expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
    });

    it('answers bad params with 400 naming the field', async () => {
      const user = await h.newUser();
      for (const [field, query] of [
        ['after', '?after=-1'],
        ['after', '?after=abc'],
        ['after', '?after=1.5.2'], // `1.5` is a combined cursor (personal 1, tenant 5) since tenant broadcasts
        ['after', '?after=1.'],
        ['after', '?after=1&after=2'],
        ['limit', '?limit=0'],
        ['limit', '?limit=501'],
        ['limit', '?limit=1.5'],
      ] as const) {
        const res = await h.poll(user, query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.error).toMatchObject({ code: 'validation_failed', field });
      }
    });

    it('requires authentication', async () => {
      const res = await request(h.t.baseUrl, 'GET', '/api/v1/events');
      expect(res.status).toBe(401);
    });
  });

  describe('retention', () => {
    it('purged history: resuming from an old cursor gets stream.reset then live events; polling says reset too', async () => {
      const user = await h.newUser();
      const device = h.stream(user);
      await device.waitForOpen();
      const old = [await h.create(user, 'old 1'), await h.create(user, 'old 2'), await h.create(user, 'old 3')];
      // Received = published: retention only removes published entries.
      await device.waitUntil(hasCreated(device, old[2]!), 'the old events');
      // Each create is followed by its notification.counts: six stored entries.
      await device.waitUntil(() => stored(device).length === 6, 'the counts after the old events');
      device.close();
      const head = Number(stored(device).at(-1)!.id);

      const removed = await h.t.api.services.get(RetentionJob).run(new Date(Date.now() + 60_000));
      expect(removed).toBeGreaterThanOrEqual(3);

      const resumed = h.stream(user, '', { 'Last-Event-ID': '1' });
      await resumed.waitForEvent('stream.reset');
      expect(resumed.ofType('stream.reset')[0]!.data).toEqual({ reason: 'cursor_expired', cursor: head });
      const fresh = await h.create(user, 'after the purge');
      await resumed.waitUntil(hasCreated(resumed, fresh), 'the live event after the reset');
      await resumed.waitUntil(() => resumed.events.length === 3, 'its counts');
      expect(resumed.events.map((e) => e.type)).toEqual(['stream.reset', 'notification.created', 'notification.counts']);
      expect(Number(resumed.events[1]!.id)).toBe(head + 1);

      const expired = await h.poll(user, '?after=1');
      expect(expired.body).toEqual({ events: [], nextAfter: head + 2, headCursor: head + 2, reset: { reason: 'cursor_expired', cursor: head + 2 } });
      // From the cursor the reset gave, polling continues normally.
      const next = await h.poll(user, `?after=${head}`);
      expect(next.body.reset).toBeUndefined();
      expect(next.body.events.map((e) => e.cursor)).toEqual([head + 1, head + 2]);
    });
  });

  describe('connection hygiene', () => {
    it('sends retry: first, then heartbeat comments', async () => {
      const user = await h.newUser();
      const text = await readRawUntil(`${h.t.baseUrl}/api/v1/stream`, user.token, /\n: heartbeat\n/);
      expect(text).toMatch(/^retry: 1234\n/);
    });

    it('refuses a third device with 429 limit_exceeded and keeps the first two streaming', async () => {
      const user = await h.newUser();
      const devices = [h.stream(user, '?deviceId=d1'), h.stream(user, '?deviceId=d2')];
      await Promise.all(devices.map((d) => d.waitForOpen()));

      const third = await fetch(`${h.t.baseUrl}/api/v1/stream?deviceId=d3`, { headers: { authorization: `Bearer ${user.token}` } });
      expect(third.status).toBe(429);
      expect(await third.json()).toEqual({ error: { code: 'limit_exceeded', message: expect.any(String) } });

      const id = await h.create(user, 'still streaming');
      await Promise.all(devices.map((d) => d.waitUntil(hasCreated(d, id), 'the event on both devices')));
      expect(devices.every((d) => d.readyState === 1)).toBe(true);
    });
  });

  describe('filters and originator echo', () => {
    it('types=notification.read receives only reads; an invalid pattern is a 400 naming types', async () => {
      const user = await h.newUser();
      const reads = h.stream(user, '?types=notification.read');
      await reads.waitForOpen();
      const a = await h.create(user, 'a');
      const b = await h.create(user, 'b');
      for (const id of [a, b]) {
        expect((await request(h.t.baseUrl, 'PATCH', `/api/v1/notifications/${id}`, { bearer: user.token, body: { status: 'read' } })).status).toBe(200);
      }
      await reads.waitUntil(() => reads.ofType('notification.read').length === 2, 'both reads');
      expect(reads.events.map((e) => e.type)).toEqual(['notification.read', 'notification.read']);
      expect(reads.events.map((e) => (e.data.data as { notificationId: string }).notificationId)).toEqual([a, b]);

      const bad = await fetch(`${h.t.baseUrl}/api/v1/stream?types=${encodeURIComponent('notification.**,!')}`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', field: 'types' } });
    });

    it('excludeOwn=1: a device does not get the events its own requests caused; the other device does', async () => {
      const user = await h.newUser();
      const phone = h.stream(user, '?excludeOwn=1', { 'X-Device-Id': 'phone' });
      const tab = h.stream(user, '?deviceId=tab');
      await Promise.all([phone.waitForOpen(), tab.waitForOpen()]);

      const fromPhone = await h.create(user, 'from the phone', 'phone');
      const fromTab = await h.create(user, 'from the tab', 'tab');
      await tab.waitUntil(hasCreated(tab, fromTab), 'both events on the tab');
      await phone.waitUntil(hasCreated(phone, fromTab), "the tab's event on the phone");

      expect(createdIds(tab.events)).toEqual([fromPhone, fromTab]);
      // The phone's own event came first in the stream: had it been sent, it would be here already.
      expect(createdIds(phone.events)).toEqual([fromTab]);
      expect(tab.ofType('notification.created')[0]!.data.deviceid).toBe('phone');
    });
  });
});

describe('durable stream on embedded PGlite', () => {
  let h: Harness;

  beforeAll(async () => {
    h = new Harness(await startTestApi({ database: 'pglite', env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }));
    // Compiling the WASM database is slow on a busy machine; this only bounds a failure.
  }, 90_000);

  afterAll(async () => {
    await h?.stop();
  });

  it('resumes with Last-Event-ID: the missed events, then live, no gap or duplicate', async () => {
    await resumeAcrossTheSeam(h, 'header');
  });
});

describe('token expiry on an open stream', () => {
  let h: Harness;

  beforeAll(async () => {
    h = new Harness(
      await startTestApi({ env: { JWT_TTL_SECONDS: '3', STREAM_REAUTH_LEAD_MS: '2000', SSE_RETRY_MS: '60000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }),
    );
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('reauth, refresh and resume with the new token; the old stream closes token_expired and the old token gets 401', async () => {
    const user = await h.newUser();
    const old = h.stream(user);
    await old.waitForOpen();
    const before = await h.create(user, 'before the refresh');
    await old.waitUntil(hasCreated(old, before), 'the first event');
    const seen = stored(old).at(-1)!.id;

    await old.waitForEvent('stream.reauth');
    const refreshed = await request<{ accessToken: string; expiresIn: number }>(h.t.baseUrl, 'POST', '/api/v1/auth/refresh', { bearer: user.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3 });
    expect(refreshed.body.accessToken).not.toBe(user.token);
    expect(refreshed.headers.get('set-cookie')).toMatch(/^pushline_session=[^;]+;.*HttpOnly/i);
    const me = await request<{ id: string }>(h.t.baseUrl, 'GET', '/api/v1/me', { bearer: refreshed.body.accessToken });
    expect(me.body.id).toBe(user.userId);

    // What the client does after a refresh: reconnect with the new token and its last cursor.
    const missed = await h.create(user, 'while refreshing');
    const renewed = h.stream({ ...user, token: refreshed.body.accessToken }, `?lastEventId=${seen}`);
    await renewed.waitUntil(hasCreated(renewed, missed), 'the missed event on the renewed stream');
    expect(createdIds(renewed.events)).toEqual([missed]);

    await old.waitForEvent('stream.closed');
    expect(old.ofType('stream.closed')[0]!.data).toEqual({ reason: 'token_expired', reconnect: false });
    expect(old.events.map((e) => e.type).filter((t) => CONTROL.has(t))).toEqual(['stream.reauth', 'stream.closed']);

    const again = h.stream(user, '', { 'Last-Event-ID': seen });
    expect(await again.waitForHttpError()).toBe(401);
    expect(again.events).toEqual([]);
  });
});
