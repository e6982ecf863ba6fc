import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@pushline/persistence-prisma/testing';
import { DEFAULT_RELAY_PARTITIONS, RELAY_LOCK_CLASS } from '@pushline/persistence-prisma';
import pg from 'pg';
import { ApiProcess } from '../support/api-process.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { auditDevice, mustDeliverCursors, ResumableStream } from './resumable-stream.js';

/** The locks `OutboxRelay` takes with pg_advisory_xact_lock, one per partition; holding all parks every relay batch. */
const LOCK_ALL_PARTITIONS = `SELECT pg_advisory_lock(${RELAY_LOCK_CLASS}, p) FROM generate_series(0, ${DEFAULT_RELAY_PARTITIONS - 1}) AS p`;
const UNLOCK_ALL_PARTITIONS = `SELECT pg_advisory_unlock(${RELAY_LOCK_CLASS}, p) FROM generate_series(0, ${DEFAULT_RELAY_PARTITIONS - 1}) AS p`;

/**
 * SIGKILL of the API process mid-stream, then a new process on the same database. To make
 * "committed but never pushed" certain rather than lucky, the test holds the relay's advisory lock
 * while it creates a batch of events: the use cases commit (201), the relay waits at the lock, so no
 * device can have them live. The process is killed in that state, with more creates in flight; the
 * next process must deliver all of it to the devices, which resume with Last-Event-ID.
 */
describe('restart after SIGKILL', () => {
  let db: TestDatabase;
  let api: ApiProcess | undefined;
  let locker: pg.Client;
  const streams: ResumableStream[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await db.dispose({ keep: true });
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    await api?.stop();
    await locker?.end();
    await db?.drop();
  });

  it('delivers everything committed before the kill, after the restart, gap-free', async () => {
    // Creates run flat out until the kill: far above the per-user write limit (tested on its own).
    const env = { SSE_RETRY_MS: '50', LOGIN_RATE_LIMIT_PER_MINUTE: '1000', WRITE_RATE_LIMIT_PER_MINUTE: '1000000' };
    // Without the fast path, publishing waits for the relay, whose lock this test holds below: the
    // window between commit and push stays open until the kill. The restarted process runs the default.
    api = await ApiProcess.start({ databaseUrl: db.url!, env: { ...env, OUTBOX_FAST_PATH: '0' } });
    const base = (): string => api!.url;
    const alice = await logIn(base(), 'alice@example.com', 'alice-demo-password');
    const bob = await logIn(base(), 'bob@example.com', 'bob-demo-password');
    const devices = [
      { user: alice, stream: new ResumableStream(base, { bearer: alice.token, deviceId: 'alice-1' }) },
      { user: alice, stream: new ResumableStream(base, { bearer: alice.token, deviceId: 'alice-2' }) },
      { user: bob, stream: new ResumableStream(base, { bearer: bob.token, deviceId: 'bob-1' }) },
    ];
    streams.push(...devices.map((d) => d.stream));
    await Promise.all(devices.map((d) => d.stream.waitUntil(() => d.stream.opens > 0, () => 'open')));

    const created = new Map<string, Set<string>>([
      [alice.userId, new Set()],
      [bob.userId, new Set()],
    ]);
    let afterCreate: (() => void) | undefined;
    const create = async (user: LoggedIn, title: string): Promise<string> => {
      const res = await request<{ id: string }>(base(), 'POST', '/api/v1/notifications', { bearer: user.token, body: { title } });
      if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
      created.get(user.userId)!.add(res.body.id);
      afterCreate?.();
      return res.body.id;
    };

    // Phase 1: live delivery.
    for (let i = 0; i < 20; i++) await Promise.all([create(alice, `live ${i}`), create(bob, `live ${i}`)]);
    await Promise.all(devices.map((d) => d.stream.waitUntil(() => d.stream.events.length === 20, () => `${d.stream.events.length}/20 live`)));

    // Phase 2: the relay is parked; these commit but are not pushed.
    await locker.query(LOCK_ALL_PARTITIONS);
    const held: string[] = [];
    for (let i = 0; i < 15; i++) held.push(...(await Promise.all([create(alice, `held ${i}`), create(bob, `held ${i}`)])));
    const pending = await locker.query<{ n: string }>('SELECT count(*) AS n FROM stream_outbox');
    // 30 creates, each with its notification.counts.
    expect(Number(pending.rows[0]!.n)).toBe(60);

    // Creates keep coming while the process dies: some of these commit, some are cut.
    let stopCreating = false;
    let cut = 0;
    const creators = [alice, bob, alice, bob].map(async (user, k) => {
      for (let i = 0; !stopCreating; i++) {
        try {
          await create(user, `in flight ${k}/${i}`);
        } catch {
          cut += 1;
          return;
        }
      }
    });
    // Let a few of them commit first (awaited on the API's own responses, not on time).
    let inFlightCommitted = 0;
    await new Promise<void>((resolve) => {
      afterCreate = () => {
        if (++inFlightCommitted === 8) resolve();
      };
    });
    api.kill('SIGKILL');
    const killed = await api.waitForExit();
    stopCreating = true;
    await Promise.all(creators);
    expect(killed.signal).toBe('SIGKILL');
    const heldIds = new Set(held);
    for (const d of devices) expect(d.stream.events.filter((e) => heldIds.has(String(e.envelope.data['notificationId'])))).toEqual([]);

    // Phase 3: the relay may run again; a new process on the same database (another port).
    await locker.query(UNLOCK_ALL_PARTITIONS);
    api = await ApiProcess.start({ databaseUrl: db.url!, env });
    // One more event each after the restart: live delivery works on the new process too.
    await Promise.all([create(alice, 'after restart'), create(bob, 'after restart')]);
    const query = async (sql: string, values: unknown[]) => (await locker.query<{ cursor: string }>(sql, values)).rows;
    const expected = new Map<string, number[]>();
    for (const user of [alice, bob]) expected.set(user.userId, await mustDeliverCursors(query, user.userId));

    await Promise.all(
      devices.map((d) =>
        d.stream.waitUntil(
          () => d.stream.events.length >= expected.get(d.user.userId)!.length,
          () => `${d.stream.events.length}/${expected.get(d.user.userId)!.length} after restart`,
        ),
      ),
    );
    let duplicates = 0;
    for (const d of devices) {
      const audit = auditDevice(d.stream.events, {
        userId: d.user.userId,
        notificationIds: created.get(d.user.userId)!,
        cursors: expected.get(d.user.userId)!,
      });
      duplicates += audit.duplicates;
      expect(audit.problems).toEqual([]);
      // It resumed from its cursor rather than starting over.
      expect(d.stream.resumedFrom.some((id) => id !== null)).toBe(true);
      for (const id of held) if (created.get(d.user.userId)!.has(id)) expect(d.stream.events.some((e) => e.envelope.data['notificationId'] === id)).toBe(true);
    }
    console.log(
      `restart: must-deliver entries ${JSON.stringify([...expected.values()].map((c) => c.length))} (creates cut by the kill: ${cut}), 30 held events, ${duplicates} duplicates`,
    );
  }, 60_000);
});
