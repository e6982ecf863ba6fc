import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { freePort, waitFor } from './bench-support.js';
import { startChannelBenchApi } from './channel-bench-support.js';
import { summarize } from './stats.js';

/**
 * The email channel end to end: a real API process (production mode) on a fresh PostgreSQL database,
 * an SMTP server (`smtp-server`) on loopback. E notifications are created through the REST API with
 * the category's email on and no grace period; each becomes a send record, then an SMTP message.
 * Emails/s and create → accepted-by-SMTP latency (which includes up to one CHANNEL_POLL_MS).
 */
const { values } = parseArgs({ options: { events: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '16' } } });
const EVENTS = Number(values.events);
const CONCURRENCY = Number(values.concurrency);
const POLL_MS = 100;

async function main(): Promise<void> {
  const createdAt = new Map<string, number>();
  const latencies: number[] = [];
  let accepted = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 64 * 1024) head += c.toString('utf8');
      });
      stream.on('end', () => {
        accepted += 1;
        const ids = /^X-Pushline-Notifications: (.+)$/im.exec(head)?.[1]?.trim().split(',') ?? [];
        for (const id of ids) {
          const at = createdAt.get(id);
          if (at !== undefined) latencies.push(Date.now() - at);
        }
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
  const api = await startChannelBenchApi({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, CHANNEL_POLL_MS: String(POLL_MS) });
  try {
    const { json } = api;
    const create = (count: number) => api.createNotifications(count, CONCURRENCY, createdAt);

    const baselineStarted = Date.now();
    await create(Math.max(100, Math.round(EVENTS / 4)));
    const baselineMs = Date.now() - baselineStarted;
    const baselineCount = createdAt.size;
    createdAt.clear();
    const prefs = await json('PUT', '/api/v1/preferences', { categories: { test: { channels: { email: true } } } });
    if (prefs.status !== 200) throw new Error(`preferences not saved: ${prefs.status}`);

    const started = Date.now();
    await create(EVENTS);
    const createdMs = Date.now() - started;
    await waitFor(() => accepted >= EVENTS, 'every email', 10 * 60_000);
    const sentMs = Date.now() - started;
    console.log(`\nEmail channel: ${EVENTS} notifications with email on, ${CONCURRENCY} creates in flight (PostgreSQL, production mode, grace 0, poll ${POLL_MS} ms)`);
    console.log(`  created      ${(EVENTS / (createdMs / 1000)).toFixed(0)} notifications/s (${createdMs} ms); with email off ${(baselineCount / (baselineMs / 1000)).toFixed(0)}/s`);
    console.log(`  sent         ${accepted} SMTP messages in ${sentMs} ms = ${(accepted / (sentMs / 1000)).toFixed(0)} emails/s`);
    console.log(`  latency      create → accepted by the SMTP server: ${summarize(latencies)}`);
  } finally {
    await api.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
