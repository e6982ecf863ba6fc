import { SseFrameEncoder } from '@pushline/delivery-sse';
import type { StreamEntry } from '@pushline/domain';

/**
 * What "serialize once, write the same bytes to every device" buys: encoding one entry for each of a
 * user's devices versus once for all of them (the SseFrameEncoder cache).
 */
const DEVICES = 20;
const ENTRIES = 20_000;

function entry(i: number): StreamEntry {
  return {
    userId: 'user-1',
    cursor: i,
    event: {
      specversion: '1.0',
      id: `9f1c${i}-4c7e-4a7a-9d3e-5b1f2c3d4e5f`,
      source: '/pushline/api',
      type: 'notification.created',
      dataversion: 1,
      time: new Date().toISOString(),
      subject: `n-${i}`,
      datacontenttype: 'application/json',
      data: { notificationId: `n-${i}`, userId: 'user-1', title: 'Your order shipped', body: 'It arrives on Friday between 9 and 12.', priority: 'normal', data: { orderId: 'o-42', items: [1, 2, 3] }, createdAt: new Date().toISOString() },
      correlationid: 'req-1',
      causationid: 'req-1',
    },
  };
}

function perDevice(entries: StreamEntry[]): number {
  let bytes = 0;
  for (const e of entries) {
    for (let d = 0; d < DEVICES; d++) {
      bytes += Buffer.from(`id: ${e.cursor}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e.event)}\n\n`).length;
    }
  }
  return bytes;
}

function once(entries: StreamEntry[]): number {
  const encoder = new SseFrameEncoder();
  let bytes = 0;
  for (const e of entries) for (let d = 0; d < DEVICES; d++) bytes += encoder.entry(e).length;
  return bytes;
}

function time(label: string, run: (entries: StreamEntry[]) => number): number {
  const entries = Array.from({ length: ENTRIES }, (_, i) => entry(i + 1));
  const start = process.hrtime.bigint();
  const bytes = run(entries);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const deliveries = ENTRIES * DEVICES;
  console.log(`  ${label.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${(deliveries / (ms / 1000) / 1e6).toFixed(2)} M deliveries/s  (${(bytes / 1e6).toFixed(0)} MB framed)`);
  return ms;
}

console.log(`\nSSE frame encoding, ${ENTRIES} entries × ${DEVICES} devices each`);
time('warm-up', once);
const before = time('encode per device (before)', perDevice);
const after = time('encode once per entry (after)', once);
console.log(`  speed-up: ×${(before / after).toFixed(1)}`);
