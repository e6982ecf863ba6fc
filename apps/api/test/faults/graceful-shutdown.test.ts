import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import pg from 'pg';
import { ApiProcess } from '../support/api-process.js';
import { logIn, request } from '../support/http-client.js';
import { auditDevice, mustDeliverCursors, ResumableStream } from './resumable-stream.js';

const SHUTDOWN_TIMEOUT_MS = 4000;
const RETRY_MS = 150;

/** Reads one SSE response as raw text, to see what EventSource hides (`retry:`), until it ends. */
function rawStream(url: string, token: string): { text: () => string; ended: Promise<void>; opened: Promise<void> } {
  let text = '';
  let opened!: () => void;
  const openedP = new Promise<void>((r) => (opened = r));
  const ended = new Promise<void>((resolve, reject) => {
    const req = httpRequest(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes(': connected')) opened();
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return { text: () => text, ended, opened: openedP };
}

/**
 * SIGTERM to a real API process: open streams are told `stream.closed {reason:'shutdown',
 * reconnect:true}` with a `retry:` hint, the instance stops reporting ready, the process exits 0
 * before SHUTDOWN_TIMEOUT_MS, and events committed right before the signal reach the devices after a
 * new process starts on the same database.
 */
describe('graceful shutdown on SIGTERM', () => {
  let db: TestDatabase;
  let api: ApiProcess | undefined;
  const streams: ResumableStream[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await db.dispose({ keep: true });
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    await api?.stop();
    await db?.drop();
  });

  it('says goodbye, exits 0 in time, and loses nothing committed before the signal', async () => {
    const env = { SSE_RETRY_MS: String(RETRY_MS), SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };
    api = await ApiProcess.start({ databaseUrl: db.url!, env });
    const base = (): string => api!.url;
    const alice = await logIn(base(), 'alice@example.com', 'alice-demo-password');
    const devices = [1, 2].map((n) => new ResumableStream(base, { bearer: alice.token, deviceId: `alice-${n}` }));
    streams.push(...devices);
    const raw = rawStream(`${base()}/api/v1/stream`, alice.token);
    await Promise.all([raw.opened, ...devices.map((d) => d.waitUntil(() => d.opens > 0, () => 'open'))]);

    const created = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await request<{ id: string }>(base(), 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: `n ${i}` } });
      expect(res.status).toBe(201);
      created.add(res.body.id);
    }
    // Right after the last commit: some of these may not have been pushed yet.
    const signalledAt = Date.now();
    api.kill('SIGTERM');
    const firstUrl = base();
    await raw.ended;
    const goodbye = /retry: (\d+)\nevent: stream\.closed\ndata: (.*)\n\n$/.exec(raw.text());
    expect(goodbye?.[1]).toBe(String(RETRY_MS));
    expect(JSON.parse(goodbye![2]!)).toEqual({ reason: 'shutdown', reconnect: true });
    await Promise.all(devices.map((d) => d.waitUntil(() => d.controls.some((c) => c.type === 'stream.closed'), () => 'stream.closed')));
    expect(devices.map((d) => d.controls.find((c) => c.type === 'stream.closed')?.data)).toEqual([
      { reason: 'shutdown', reconnect: true },
      { reason: 'shutdown', reconnect: true },
    ]);

    // Draining: the instance never answers ready again (503 from an open connection, or refused).
    const ready = await fetch(`${firstUrl}/ready`).then((r) => r.status, () => 'refused');
    expect(ready === 503 || ready === 'refused').toBe(true);

    // The deadline is the failure bound: a clean drain ends well before it.
    const exit = await api.waitForExit(SHUTDOWN_TIMEOUT_MS);
    expect(exit).toEqual({ code: 0, signal: null });
    const exitMs = Date.now() - signalledAt;
    const deliveredBefore = devices.map((d) => d.events.length);

    api = await ApiProcess.start({ databaseUrl: db.url!, env });
    await Promise.all(devices.map((d) => d.waitUntil(() => d.events.length >= 30, () => `${d.events.length}/30 after restart`)));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const cursors = await mustDeliverCursors(async (sql, values) => (await client.query<{ cursor: string }>(sql, values)).rows, alice.userId).finally(() => client.end());
    expect(cursors).toHaveLength(30);
    for (const d of devices) {
      const audit = auditDevice(d.events, { userId: alice.userId, notificationIds: created, cursors });
      expect(audit.problems).toEqual([]);
      expect(audit.duplicates).toBe(0);
    }
    console.log(`graceful shutdown: exit 0 ${exitMs} ms after SIGTERM (deadline ${SHUTDOWN_TIMEOUT_MS}); delivered before it ${JSON.stringify(deliveredBefore)}/30, the rest after the restart`);
  }, 60_000);
});
