import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import ece from 'http_ece';
import webpush from 'web-push';
import { freePort, waitFor } from './bench-support.js';
import { startChannelBenchApi } from './channel-bench-support.js';
import { summarize } from './stats.js';

/**
 * The web push channel end to end: a real API process (production mode, VAPID keys set) on a fresh
 * PostgreSQL database, and a push service on loopback that decrypts every push (http_ece) to learn
 * which notification it carries. E notifications are created through the REST API for a user with D
 * subscribed browsers, web push on and no grace period. Pushes/s and create → push-service latency
 * (which includes up to one CHANNEL_POLL_MS).
 */
const { values } = parseArgs({ options: { events: { type: 'string', default: '500' }, devices: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' } } });
const EVENTS = Number(values.events);
const DEVICES = Number(values.devices);
const CONCURRENCY = Number(values.concurrency);
const POLL_MS = 100;

async function main(): Promise<void> {
  const createdAt = new Map<string, number>();
  const latencies: number[] = [];
  const browsers = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  let received = 0;
  let undecryptable = 0;
  const push = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const browser = browsers.get(req.url?.split('/').pop() ?? '');
      res.writeHead(browser ? 201 : 404).end();
      if (!browser) return;
      received += 1;
      try {
        const payload = JSON.parse(ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: browser.ecdh, authSecret: browser.auth }).toString('utf8')) as { notificationIds: string[] };
        for (const id of payload.notificationIds) {
          const at = createdAt.get(id);
          if (at !== undefined) latencies.push(Date.now() - at);
        }
      } catch {
        undecryptable += 1;
      }
    });
  });
  const pushPort = await freePort();
  await new Promise<void>((resolve) => push.listen(pushPort, '127.0.0.1', resolve));
  const vapid = webpush.generateVAPIDKeys();
  const api = await startChannelBenchApi({
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:bench@pushline.invalid',
    WEB_PUSH_ALLOW_HTTP: '1',
    WEB_PUSH_ALLOWED_HOSTS: '127.0.0.1',
    CHANNEL_POLL_MS: String(POLL_MS),
  });
  try {
    const { json } = api;
    for (let i = 0; i < DEVICES; i++) {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      browsers.set(id, { ecdh, auth });
      const res = await json('POST', '/api/v1/push-subscriptions', {
        endpoint: `http://127.0.0.1:${pushPort}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      });
      if (res.status !== 201) throw new Error(`subscribe failed: ${res.status} ${await res.text()}`);
    }
    const prefs = await json('PUT', '/api/v1/preferences', { categories: { test: { channels: { web_push: true } } } });
    if (prefs.status !== 200) throw new Error(`preferences not saved: ${prefs.status}`);

    const started = Date.now();
    await api.createNotifications(EVENTS, CONCURRENCY, createdAt);
    const createdMs = Date.now() - started;
    await waitFor(() => received >= EVENTS * DEVICES, 'every push', 10 * 60_000);
    const sentMs = Date.now() - started;
    console.log(`\nWeb push channel: ${EVENTS} notifications × ${DEVICES} browsers, ${CONCURRENCY} creates in flight (PostgreSQL, production mode, grace 0, poll ${POLL_MS} ms)`);
    console.log(`  created      ${(EVENTS / (createdMs / 1000)).toFixed(0)} notifications/s (${createdMs} ms)`);
    console.log(`  pushed       ${received} encrypted pushes in ${sentMs} ms = ${(received / (sentMs / 1000)).toFixed(0)} pushes/s (${undecryptable} undecryptable)`);
    console.log(`  latency      create → decrypted at the push service: ${summarize(latencies)}`);
  } finally {
    await api.stop();
    await new Promise<void>((resolve) => push.close(() => resolve()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
