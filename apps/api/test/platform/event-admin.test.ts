import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventFactory } from '@pushline/domain';
import { FixedClock, SequentialIdGenerator } from '@pushline/testing';
import { Ports } from '../../src/composition/ports.js';
import type { LoggedIn } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture } from '../support/platform-fixture.js';
import { StreamClient } from '../support/stream-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

interface Listed {
  items: { id: string; type: string; time: string; tenantid: string; replayof?: string }[];
  nextCursor: string | null;
}

/** The operator's event API against a known data set written through the real outbox at chosen times. */
describe('the operator event API', () => {
  let t: TestApi;
  let p: PlatformFixture;
  let a1: LoggedIn;
  let b1: LoggedIn;
  let tenantA: string;
  let tenantB: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN } });
    p = new PlatformFixture(t.baseUrl);
    [tenantA, tenantB] = [await p.tenant('A'), await p.tenant('B')];
    [a1, b1] = [await p.user(tenantA), await p.user(tenantB)];
    const clock = new FixedClock('2026-01-01T00:00:00.000Z');
    const events = new EventFactory(new SequentialIdGenerator(`ops-${Date.now()}`), clock, '/test');
    const uow = t.api.services.get(Ports.UnitOfWork);
    const write = async (name: string, at: string, type: string, tenantId: string, userId: string, appid?: string) => {
      clock.set(at);
      const event = events.stamp({ type, version: 1, subject: name, data: { name }, ...(appid && { appid }) }, { tenantId });
      ids[name] = event.id;
      await uow.run((tx) => tx.events.publishTo([userId], [event]));
    };
    await write('e1', '2026-01-01T10:05:00.000Z', 'ops.one', tenantA, a1.userId, 'app-x');
    await write('e2', '2026-01-01T10:40:00.000Z', 'ops.one', tenantA, a1.userId);
    await write('e3', '2026-01-01T11:10:00.000Z', 'ops.two', tenantA, a1.userId);
    await write('e4', '2026-01-02T09:00:00.000Z', 'ops.one', tenantB, b1.userId);
  });

  afterAll(async () => {
    await t?.stop();
  });

  const names = (list: Listed) => list.items.map((e) => Object.entries(ids).find(([, id]) => id === e.id)?.[0]);
  const query = async (qs: string) => (await p.admin<Listed>('GET', `/events?${qs}`)).body;
  const range = 'from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z';

  it('filters by type, tenant, user, app and time, newest first, a page at a time', async () => {
    expect(names(await query(`${range}&type=ops.one`))).toEqual(['e4', 'e2', 'e1']);
    expect(names(await query(`${range}&tenantId=${tenantB}`))).toEqual(['e4']);
    expect(names(await query(`${range}&userId=${a1.userId}`))).toEqual(['e3', 'e2', 'e1']);
    expect(names(await query(`${range}&appId=app-x`))).toEqual(['e1']);
    expect(names(await query('from=2026-01-01T10:30:00Z&to=2026-01-01T11:10:00Z'))).toEqual(['e2']);
    const first = await query(`${range}&limit=3`);
    expect(names(first)).toEqual(['e4', 'e3', 'e2']);
    expect(names(await query(`${range}&limit=3&cursor=${first.nextCursor}`))).toEqual(['e1']);
  });

  it('counts per type per hour and per day', async () => {
    await expect(p.admin('GET', `/events/counts?${range}&bucket=hour`)).resolves.toMatchObject({
      status: 200,
      body: {
        buckets: [
          { start: '2026-01-01T10:00:00.000Z', type: 'ops.one', count: 2 },
          { start: '2026-01-01T11:00:00.000Z', type: 'ops.two', count: 1 },
          { start: '2026-01-02T09:00:00.000Z', type: 'ops.one', count: 1 },
        ],
      },
    });
    const days = await p.admin('GET', `/events/counts?${range}&bucket=day&type=ops.one`);
    expect(days.body).toEqual({
      buckets: [
        { start: '2026-01-01T00:00:00.000Z', type: 'ops.one', count: 2 },
        { start: '2026-01-02T00:00:00.000Z', type: 'ops.one', count: 1 },
      ],
    });
    await expect(p.admin('GET', `/events/counts?${range}&bucket=week`)).resolves.toMatchObject({ status: 400, body: { error: { field: 'bucket' } } });
    await expect(p.admin('GET', '/events/counts?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).resolves.toMatchObject({ status: 400, body: { error: { field: 'to' } } });
    await expect(p.admin('GET', '/events/counts?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')).resolves.toMatchObject({ status: 400, body: { error: { field: 'from' } } });
  });

  it("replays chosen events to their users' streams as new entries pointing at the original", async () => {
    const stream = new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: a1.token }, ['ops.one', 'ops.two']);
    await stream.waitForOpen();
    const res = await p.admin<{ items: { eventId: string; replayId: string; recipients: number }[] }>('POST', '/events/replay', { eventIds: [ids.e1], target: { stream: true } });
    expect(res.status).toBe(201);
    expect(res.body.items).toEqual([{ eventId: ids.e1, replayId: expect.any(String), recipients: 1 }]);
    await stream.waitForEvent('ops.one', (e) => e.replayof === ids.e1 && e.id === res.body.items[0]!.replayId);
    stream.close();

    await expect(p.admin('POST', '/events/replay', { eventIds: ['nope'], target: { stream: true } })).resolves.toMatchObject({ status: 404 });
    // Replay to a webhook is tested in webhooks/webhook-replay.test.ts; an unknown one is a 404.
    await expect(p.admin('POST', '/events/replay', { eventIds: [ids.e1], target: { webhookId: 'w1' } })).resolves.toMatchObject({ status: 404 });
    await expect(p.admin('POST', '/events/replay', { eventIds: [], target: { stream: true } })).resolves.toMatchObject({ status: 400, body: { error: { field: 'eventIds' } } });
  });

  it('is refused without the admin token', async () => {
    const { request } = await import('../support/http-client.js');
    await expect(request(t.baseUrl, 'GET', '/api/v1/admin/events', { bearer: a1.token })).resolves.toMatchObject({ status: 401 });
  });
});
