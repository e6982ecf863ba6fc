import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaHandlerJobQueue } from '@pushline/persistence-prisma';
import { HandlerWorker } from '../../src/jobs/handler-worker.js';
import { logIn, request, type LoggedIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const ADMIN_TOKEN = 'admin-token-for-the-handler-tests';

/** Event handlers fed from the outbox, on a real server and PostgreSQL: the audit log and dead letters. */
describe('event handlers', () => {
  let t: TestApi;
  let alice: LoggedIn;
  const admin = (method: string, path: string) => request(t.baseUrl, method, `/api/v1/admin${path}`, { bearer: ADMIN_TOKEN });

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN, HANDLER_POLL_MS: '60000' } });
    alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('writes who did what, from which device, to the audit log after commit; the operator queries it', async () => {
    const created = await request<{ id: string }>(t.baseUrl, 'POST', '/api/v1/notifications', { bearer: alice.token, body: { title: 'audited' } });
    await request(t.baseUrl, 'PATCH', `/api/v1/notifications/${created.body.id}`, { bearer: alice.token, headers: { 'X-Device-Id': 'phone-1' }, body: { status: 'read' } });
    await t.api.services.get(HandlerWorker).drain();

    const log = await admin('GET', `/audit-log?userId=${alice.userId}`);

    expect(log.status).toBe(200);
    const mine = (log.body['items'] as { type: string; subject: string; deviceId: string | null }[]).filter((e) => e.subject === created.body.id);
    expect(mine.map((e) => [e.type, e.deviceId])).toEqual([
      ['notification.read', 'phone-1'],
      ['notification.created', null],
    ]);
    expect((await admin('GET', '/audit-log?limit=0')).status).toBe(400);
    expect((await request(t.baseUrl, 'GET', '/api/v1/admin/audit-log', { bearer: alice.token })).status).toBe(401);
  });

  it('lists dead letters for the operator and replays one', async () => {
    // A job for a handler that no longer exists is dead-lettered at once (nothing is dropped silently).
    const prisma = t.api.database.prisma;
    await prisma.eventHandlerJob.create({
      data: { handler: 'retired-handler', eventId: 'evt-retired', eventType: 'notification.read', envelope: { id: 'evt-retired', type: 'notification.read' }, runAt: new Date() },
    });
    await t.api.services.get(HandlerWorker).drain();

    const dead = await admin('GET', '/dead-letters?handler=retired-handler');
    const [letter] = dead.body['items'] as { id: string; handler: string; attempts: number; lastError: string }[];
    expect(letter).toMatchObject({ handler: 'retired-handler', attempts: 1, lastError: expect.stringContaining('no event handler named retired-handler') });

    const replayed = await admin('POST', `/dead-letters/${letter!.id}/replay`);
    expect(replayed.status).toBe(202);
    expect((await admin('POST', `/dead-letters/${letter!.id}/replay`)).status).toBe(404);
    const claimed = await new PrismaHandlerJobQueue(prisma).claim(new Date(), 100, new Date(Date.now() + 60_000));
    expect(claimed.filter((j) => j.handler === 'retired-handler')).toEqual([expect.objectContaining({ id: letter!.id, attempts: 1 })]);

    const metrics = await fetch(`${t.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/pushline_event_handler_runs_total\{[^}]*handler="audit-log"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/pushline_event_handler_runs_total\{[^}]*handler="retired-handler"[^}]*outcome="dead"/);
  });
});
