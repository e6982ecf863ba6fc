import { request as httpRequest, type IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StreamHub } from '@pushline/stream-engine';

import { logIn, request } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { ResumableStream } from './resumable-stream.js';

const MAX_BUFFERED_BYTES = 64 * 1024;
const EVENTS = 700;
/** Several stalled readers: each one's undelivered bytes add up, the kernel's share stays out of the heap. */
const STALLED = 6;
/** Events published before the baseline, so one-time growth (query caches, JIT) is not counted. */
const WARM_UP = 60;
/** ~8 KiB of `data` per event, so a few MiB pass the kernel's socket buffers quickly. */
const PAYLOAD = { blob: 'x'.repeat(8000) };

/** A full collection before each measurement, so the figures are what is retained, not garbage. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Devices that stop reading (sockets paused) are cut once their unsent bytes pass
 * STREAM_MAX_BUFFERED_BYTES, while the user's device that reads keeps receiving everything and the
 * server does not hold the undelivered bytes. In-process, so the server's memory is this process's.
 */
describe('slow consumer', () => {
  let t: TestApi;
  let healthy: ResumableStream | undefined;

  beforeAll(async () => {
    t = await startTestApi({ env: { STREAM_MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES) } });
  });

  afterAll(async () => {
    healthy?.close();
    await t?.stop();
  });

  it('drops the readers that stopped reading, keeps the one that reads, and keeps memory flat', async () => {
    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const hub = t.api.services.get(StreamHub);

    const ids: string[] = [];
    let next = 0;
    let end = 0;
    const worker = async (): Promise<void> => {
      while (next < end) {
        const i = next++;
        const res = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', {
          bearer: alice.token,
          body: { title: `big ${i}`, data: PAYLOAD },
        });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
    };
    const publishUpTo = (count: number): Promise<unknown> => {
      end = count;
      return Promise.all(Array.from({ length: 8 }, worker));
    };

    healthy = new ResumableStream(() => t.baseUrl, { bearer: alice.token, deviceId: 'alice-healthy' }, true);
    await healthy.waitUntil(() => healthy!.opens > 0, () => 'open');
    await publishUpTo(WARM_UP);
    await healthy.waitUntil(() => healthy!.events.length >= WARM_UP, () => `${healthy!.events.length}/${WARM_UP} warm-up events`);

    const stalledBytes: number[] = [];
    const openStalled = (n: number): Promise<IncomingMessage> =>
      new Promise((resolve, reject) => {
        stalledBytes[n] = 0;
        const req = httpRequest(`${t.baseUrl}/api/v1/stream`, { headers: { authorization: `Bearer ${alice.token}` } }, (res) => {
          res.once('data', (chunk: Buffer) => {
            stalledBytes[n]! += chunk.length;
            // From here on nothing is read: the socket's receive window fills, then the server's buffer.
            res.pause();
            res.socket.pause();
            resolve(res);
          });
        });
        req.on('error', reject);
        req.end();
      });
    const stalled = await Promise.all(Array.from({ length: STALLED }, (_, n) => openStalled(n)));
    const stalledClosed = stalled.map((res) => new Promise<void>((resolve) => res.socket.once('close', () => resolve())));
    expect(hub.stats().devices).toBe(1 + STALLED);

    collectGarbage();
    const memoryBefore = process.memoryUsage();
    await publishUpTo(WARM_UP + EVENTS);
    const total = WARM_UP + EVENTS;
    await healthy.waitUntil(() => healthy!.events.length >= total, () => `${healthy!.events.length}/${total} on the healthy device`, 30_000);
    collectGarbage();
    const memoryAfter = process.memoryUsage();

    // Every event reached the device that reads, once and in order.
    expect(healthy.events.map((e) => e.cursor)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(healthy.events.map((e) => e.envelope.data['notificationId']))).toEqual(new Set(ids));
    // The stalled ones were cut server-side (the hub forgot them) …
    expect(hub.stats().devices).toBe(1);
    // … and their connections really end once the clients look again.
    stalled.forEach((res, n) => {
      res.on('data', (chunk: Buffer) => (stalledBytes[n]! += chunk.length));
      res.resume();
      res.socket.resume();
    });
    await Promise.all(stalledClosed);

    // What was pushed at each stalled device: every event after it connected.
    const publishedBytes = healthy.events.slice(WARM_UP).reduce((n, e) => n + e.bytes, 0);
    const received = stalledBytes.reduce((a, b) => a + b, 0);
    const undelivered = publishedBytes * STALLED - received;
    const heapGrowth = memoryAfter.heapUsed - memoryBefore.heapUsed;
    const rssGrowth = memoryAfter.rss - memoryBefore.rss;
    console.log(
      `slow consumer: ${(publishedBytes / 2 ** 20).toFixed(1)} MiB published per device; ${STALLED} stalled readers got ` +
        `${(received / STALLED / 2 ** 20).toFixed(2)} MiB each before the cut (kernel buffers), ${(undelivered / 2 ** 20).toFixed(1)} MiB in all never sent; ` +
        `heap growth ${(heapGrowth / 2 ** 20).toFixed(1)} MiB, RSS growth ${(rssGrowth / 2 ** 20).toFixed(1)} MiB`,
    );
    // The cut happened well before everything was pushed at it …
    for (const bytes of stalledBytes) expect(bytes).toBeLessThan(publishedBytes);
    expect(undelivered).toBeGreaterThan(4 * 2 ** 20);
    // … and the server did not keep those bytes: the retained heap (this process also holds the
    // healthy client's small records) grows far less than them.
    expect(heapGrowth).toBeLessThan(undelivered / 2);
  }, 150_000);
});
