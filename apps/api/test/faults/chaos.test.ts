import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RegisterUser } from '@pushline/application';
import { DEMO_TENANT } from '../../src/demo-users.js';

import { logIn, request } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { auditDevice, mustDeliverCursors, ResumableStream, seededRandom } from './resumable-stream.js';

const SEED = Number(process.env['CHAOS_SEED'] ?? 20261124);
const USERS = 5;
const DEVICES_PER_USER = 4;
const EVENTS = 2000;
const IN_FLIGHT = 16;
/** Chance that a completed create request is followed by dropping one random device. */
const DROP_CHANCE = 0.06;

/**
 * 20 devices of 5 users lose their connections at random (seeded: CHAOS_SEED replays a run) while
 * 2,000 notifications are created by 16 concurrent requests. Each drop ends a real `eventsource`
 * connection mid-stream; EventSource reconnects by itself with `Last-Event-ID`. In the end every device
 * holds exactly its user's stored must-deliver events, in cursor order, every created notification once.
 */
describe('chaos: devices dropping and resuming while events are published', () => {
  let t: TestApi;
  const devices: { stream: ResumableStream; user: number }[] = [];

  beforeAll(async () => {
    t = await startTestApi({
      // A load test: 2,000 writes in seconds, far above the per-user write limit (tested on its own).
      // Errors are logged so that a failed create (a 500) shows its cause in the test output.
      env: { LOG_LEVEL: 'error', SSE_RETRY_MS: '20', STREAM_MAX_DEVICES_PER_USER: '100', LOGIN_RATE_LIMIT_PER_MINUTE: '10000', WRITE_RATE_LIMIT_PER_MINUTE: '1000000' },
    });
  });

  afterAll(async () => {
    for (const d of devices) d.stream.close();
    await t?.stop();
  });

  it('delivers every event of its user to every device, in order, none lost', async () => {
    const register = t.api.services.get(RegisterUser);
    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, u) => {
        const email = `chaos-${u}@example.com`;
        await register.execute({ tenantId: DEMO_TENANT.id, email, password: 'chaos-password-123' });
        return logIn(t.baseUrl, email, 'chaos-password-123');
      }),
    );
    for (let u = 0; u < USERS; u++) {
      for (let d = 0; d < DEVICES_PER_USER; d++) {
        devices.push({ user: u, stream: new ResumableStream(() => t.baseUrl, { bearer: users[u]!.token, deviceId: `u${u}-d${d}` }) });
      }
    }
    await Promise.all(devices.map((d) => d.stream.waitUntil(() => d.stream.opens > 0, () => 'the stream to open')));

    const random = seededRandom(SEED);
    const plan = Array.from({ length: EVENTS }, () => Math.floor(random() * USERS));
    const created: Set<string>[] = users.map(() => new Set());
    let drops = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < plan.length) {
        const i = next++;
        const u = plan[i]!;
        const res = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', {
          bearer: users[u]!.token,
          body: { title: `chaos ${i}` },
        });
        if (res.status !== 201) throw new Error(`create ${i} failed: ${res.status} ${JSON.stringify(res.body)}`);
        created[u]!.add(res.body.id);
        if (random() < DROP_CHANCE) {
          devices[Math.floor(random() * devices.length)]!.stream.drop();
          drops += 1;
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const publishedMs = Date.now() - started;

    await Promise.all(
      devices.map((d) =>
        d.stream.waitUntil(
          () => created[d.user]!.size > 0 && new Set(d.stream.events.map((e) => e.envelope.id)).size >= created[d.user]!.size,
          () => `device of user ${d.user}: ${new Set(d.stream.events.map((e) => e.envelope.id)).size}/${created[d.user]!.size} events`,
          60_000,
        ),
      ),
    );
    const deliveredMs = Date.now() - started;

    let duplicates = 0;
    const problems: string[] = [];
    for (const [i, d] of devices.entries()) {
      const query = (sql: string, values: unknown[]) => t.api.database.prisma.$queryRawUnsafe<{ cursor: bigint }[]>(sql, ...values);
      const audit = auditDevice(d.stream.events, {
        userId: users[d.user]!.userId,
        notificationIds: created[d.user]!,
        cursors: await mustDeliverCursors(query, users[d.user]!.userId),
      });
      duplicates += audit.duplicates;
      problems.push(...audit.problems.map((p) => `device ${i} (user ${d.user}): ${p}`));
    }
    const resumes = devices.reduce((n, d) => n + d.stream.resumedFrom.filter((id) => id !== null).length, 0);
    console.log(
      `chaos seed ${SEED}: ${EVENTS} events, ${drops} drops, ${resumes} resumes with Last-Event-ID, ${duplicates} duplicates; ` +
        `created in ${publishedMs} ms, all delivered after ${deliveredMs} ms`,
    );
    expect(problems).toEqual([]);
    // The faults really happened: devices reconnected and resumed from a cursor, many times.
    expect(resumes).toBeGreaterThanOrEqual(drops * 0.5);
    expect(drops).toBeGreaterThan(20);
    // Failure bound only: ~35 s on an idle 2-core machine, much more when other suites compete.
  }, 180_000);
});
