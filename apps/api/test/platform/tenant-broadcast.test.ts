import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPushlineClient } from '@pushline/client';
import { EventRetention } from '@pushline/persistence-prisma';
import WebSocket from 'ws';
import { StreamHub } from '@pushline/stream-engine';
import { Ports } from '../../src/composition/ports.js';
import { eventually } from '../support/eventually.js';
import { createNotification, request } from '../support/http-client.js';
import { PLATFORM_ADMIN_TOKEN, PlatformFixture } from '../support/platform-fixture.js';
import { StreamClient, type ReceivedEvent } from '../support/stream-client.js';
import { SdkRecorder } from '../support/sdk-recorder.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

const TYPE = 'maintenance.scheduled';
const USERS = 200;

interface Member {
  readonly userId: string;
  readonly token: string;
}

/** `<personal>.<tenant>` or `<personal>` as the stream sent it. */
function positionOf(id: string): { personal: number; tenant: number } {
  const [personal, tenant] = id.split('.');
  return { personal: Number(personal), tenant: Number(tenant ?? 0) };
}

describe('tenant broadcast: one shared stream per tenant, read beside each device’s own', () => {
  let t: TestApi;
  let p: PlatformFixture;
  let acme: string;
  let members: Member[];

  /** Users made through the operator API; their tokens are minted like a login would (200 scrypt logins are the slow part, not the subject). */
  async function member(tenantId: string): Promise<Member> {
    const created = await p.admin('POST', `/tenants/${tenantId}/users`, { email: `b-${randomUUID()}@broadcast.test` });
    const userId = String(created.body.id);
    const sessionId = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 3_600_000);
    await t.api.services.get(Ports.SessionStore).create({ id: sessionId, tenantId, userId, createdAt: now, expiresAt, idleExpiresAt: expiresAt, revokedAt: null });
    const { token } = t.api.services.get(Ports.TokenService).issue({ userId, tenantId, email: String(created.body.email), sessionId, notAfter: expiresAt });
    return { userId, token };
  }

  const broadcast = (tenantId: string, subject = 'db upgrade') => p.admin('POST', `/tenants/${tenantId}/events`, { type: TYPE, subject, data: { at: '2026-12-03T02:00:00Z' } });
  const sse = (who: Member, lastEventId?: string) =>
    new StreamClient(`${t.baseUrl}/api/v1/stream`, { bearer: who.token, ...(lastEventId && { headers: { 'Last-Event-ID': lastEventId } }) }, [TYPE]);
  const stored = (e: ReceivedEvent) => e.id !== '' && !e.type.startsWith('stream.');

  beforeAll(async () => {
    // Every client here shares one loopback address, as behind a proxy: the per-address cap is off.
    t = await startTestApi({ env: { ADMIN_TOKEN: PLATFORM_ADMIN_TOKEN, MAX_UNAUTHENTICATED_CONNECTIONS_PER_IP: '0' } });
    p = new PlatformFixture(t.baseUrl);
    acme = await p.tenant('Acme');
    members = [];
    for (let i = 0; i < USERS; i += 20) members.push(...(await Promise.all(Array.from({ length: 20 }, () => member(acme)))));
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  it(`reaches ${USERS} users × 2 devices with one row in the database, and no other tenant nor a disabled user`, async () => {
    const globex = await p.tenant('Globex');
    const outsider = await member(globex);
    const disabled = await member(acme);
    const hub = t.api.services.get(StreamHub);
    const before = hub.stats().devices;
    const devices = members.flatMap((m) => [sse(m), sse(m)]);
    const outsiderDevice = sse(outsider);
    const disabledDevice = sse(disabled);
    await eventually(() => hub.stats().devices === before + devices.length + 2, 'every device registered with the hub', 60_000);
    await expect(p.admin('PATCH', `/users/${disabled.userId}`, { disabled: true })).resolves.toMatchObject({ status: 200 });
    await disabledDevice.waitUntil(() => disabledDevice.events.some((e) => e.type === 'stream.closed'), 'the disabled user’s stream to close');

    const res = await broadcast(acme);
    expect(res).toMatchObject({ status: 201, body: { id: expect.any(String), tenantId: acme, type: TYPE } });
    const id = String(res.body.id);

    await Promise.all(devices.map((d) => d.waitUntil(() => d.ofType(TYPE).length > 0, 'the broadcast', 60_000)));
    for (const device of devices) {
      expect(device.ofType(TYPE).map((e) => [e.id, e.data.id, e.data.tenantid])).toEqual([['0.1', id, acme]]);
    }
    const db = t.api.database.prisma;
    await expect(db.tenantStreamEvent.count({ where: { eventId: id } })).resolves.toBe(1);
    await expect(db.streamEvent.count({ where: { eventId: id } })).resolves.toBe(0);
    await expect(db.event.count({ where: { id } })).resolves.toBe(1);
    // The outsider's tenant stream is its own; the disabled user can no longer open one.
    expect(outsiderDevice.ofType(TYPE)).toEqual([]);
    expect(disabledDevice.ofType(TYPE)).toEqual([]);
    for (const device of [...devices, outsiderDevice, disabledDevice]) device.close();
    const reopened = sse(disabled, '0');
    await expect(reopened.waitForHttpError()).resolves.toBe(401);
    reopened.close();
  }, 120_000);

  it('gives a device offline during a broadcast the broadcast on resume, with its own events in order, once each', async () => {
    const user = members[0]!;
    const first = sse(user);
    await first.waitForOpen();
    await createNotification(t.baseUrl, user.token, 'before');
    await first.waitUntil(() => first.events.some((e) => e.type === 'notification.created'), 'the first notification');
    const seen = first.events.filter(stored);
    const last = seen.at(-1)!.id;
    first.close();

    // Offline: own events on both sides of a broadcast.
    await createNotification(t.baseUrl, user.token, 'offline 1');
    const offline = String((await broadcast(acme, 'offline')).body.id);
    await createNotification(t.baseUrl, user.token, 'offline 2');

    const resumed = sse(user, last);
    await resumed.waitUntil(() => resumed.ofType(TYPE).some((e) => e.data.id === offline) && resumed.ofType('notification.created').length === 2, 'what was missed');
    const replayed = resumed.events.filter(stored);
    const ownCursors = replayed.filter((e) => e.type !== TYPE).map((e) => positionOf(e.id).personal);
    expect(ownCursors).toEqual([...ownCursors].sort((a, b) => a - b));
    expect(ownCursors[0]).toBe(positionOf(last).personal + 1);
    expect(new Set(ownCursors).size).toBe(ownCursors.length);
    expect(replayed.filter((e) => e.type === TYPE).map((e) => e.data.id)).toEqual([offline]);
    expect(replayed.map((e) => e.data.id)).not.toContain(seen.at(-1)!.data.id);
    // Every id names both positions, and neither ever goes back.
    const positions = replayed.map((e) => positionOf(e.id));
    for (let i = 1; i < positions.length; i++) {
      expect(positions[i]!.personal).toBeGreaterThanOrEqual(positions[i - 1]!.personal);
      expect(positions[i]!.tenant).toBeGreaterThanOrEqual(positions[i - 1]!.tenant);
    }
    const seam = replayed.at(-1)!.id;
    resumed.close();

    // No duplicate at the seam: from the last id, only what is new, on SSE, WebSocket and polling alike.
    const again = sse(user, seam);
    const ws = new WsDeliveryClient(t.baseUrl, { bearer: user.token, lastEventId: seam });
    await Promise.all([again.waitForOpen(), ws.waitForOpen()]);
    const next = String((await broadcast(acme, 'after the seam')).body.id);
    await again.waitUntil(() => again.ofType(TYPE).length > 0, 'the next broadcast');
    await ws.waitUntil(() => ws.events.some((e) => e.type === TYPE), 'the next broadcast on WS');
    expect(again.events.filter(stored).map((e) => e.data.id)).toEqual([next]);
    expect(ws.events.filter((e) => e.id !== undefined).map((e) => [e.type, e.data.id])).toEqual([[TYPE, next]]);
    const wsId = ws.events.find((e) => e.type === TYPE)!.id!;
    expect(again.ofType(TYPE)[0]!.id).toBe(wsId);
    expect(positionOf(wsId)).toEqual({ personal: positionOf(seam).personal, tenant: positionOf(seam).tenant + 1 });
    ws.send({ type: 'ack', id: wsId });
    const page = await request<{ events: { id: string; stream?: string; event: { id: string } }[]; nextAfter: string }>(t.baseUrl, 'GET', `/api/v1/events?after=${last}`, { bearer: user.token });
    expect(page.status).toBe(200);
    expect(page.body.events.filter((e) => e.stream === 'tenant').map((e) => e.event.id)).toEqual([offline, next]);
    expect(page.body.nextAfter).toBe(wsId);
    again.close();
    ws.close();
    expect(ws.replies).toEqual([]);
  }, 60_000);

  it.each(['sse', 'ws', 'poll'] as const)('the client SDK (%s) keeps both positions and resumes from them, each event once', async (transport) => {
    const tenantId = await p.tenant(`SDK ${transport}`);
    const user = await member(tenantId);
    const connect = (cursor?: string) => {
      const client = createPushlineClient({ baseUrl: t.baseUrl, token: user.token, transport, pollIntervalMs: 50, WebSocket: WebSocket as never, fallback: false, ...(cursor && { cursor }) });
      client.on(TYPE, () => undefined);
      return { client, recorder: new SdkRecorder(client) };
    };
    const first = connect();
    await first.recorder.waitForState('open');
    await createNotification(t.baseUrl, user.token, 'own 1');
    const live = String((await broadcast(tenantId, 'live')).body.id);
    await first.recorder.waitUntil(() => first.recorder.events.some((e) => e.id === live) && first.recorder.titles().includes('own 1'), 'the live broadcast and the own event');
    const saved = first.client.position!;
    expect(saved).toMatch(/^\d+\.1$/);
    first.client.close();

    await createNotification(t.baseUrl, user.token, 'own 2');
    const missed = String((await broadcast(tenantId, 'missed')).body.id);
    const second = connect(saved);
    await second.recorder.waitUntil(() => second.recorder.events.some((e) => e.id === missed) && second.recorder.titles().includes('own 2'), 'what was missed');
    const ids = second.recorder.events.map((e) => e.id);
    expect(ids).not.toContain(live);
    expect(new Set(ids).size).toBe(ids.length);
    expect(second.recorder.titles()).toEqual(['own 2']);
    expect(second.client.position).toMatch(/^\d+\.2$/);
    second.client.close();
  }, 60_000);

  it('says stream.reset for the tenant stream when retention cut it, and the own stream goes on', async () => {
    const tenantId = await p.tenant('Trimmed');
    const user = await member(tenantId);
    for (const subject of ['one', 'two', 'three']) await expect(broadcast(tenantId, subject)).resolves.toMatchObject({ status: 201 });
    const db = t.api.database.prisma;
    await eventually(async () => (await db.tenantStreamEvent.count({ where: { tenantId, publishedAt: null } })) === 0, 'the broadcasts published');
    await db.tenantStreamEvent.updateMany({ where: { tenantId, cursor: { lte: 2 } }, data: { createdAt: new Date('2000-01-01T00:00:00Z') } });
    await t.api.services.get(EventRetention).purgeOlderThan(new Date('2001-01-01T00:00:00Z'));
    await expect(db.tenantStreamEvent.count({ where: { tenantId } })).resolves.toBe(1);

    const device = sse(user, '0');
    await device.waitUntil(() => device.events.some((e) => e.type === 'stream.reset'), 'the reset');
    expect(device.ofType('stream.reset').map((e) => e.data)).toEqual([{ reason: 'cursor_expired', cursor: 3, stream: 'tenant' }]);
    await createNotification(t.baseUrl, user.token, 'still flowing');
    await device.waitForEvent('notification.created');
    expect(device.ofType(TYPE)).toEqual([]);
    expect(positionOf(device.ofType('notification.created')[0]!.id).tenant).toBe(3);
    device.close();
  }, 60_000);

  it('answers bad broadcasts with a 4xx naming the field, and writes nothing', async () => {
    const count = () => t.api.database.prisma.tenantStreamEvent.count({ where: { tenantId: acme } });
    const before = await count();
    await expect(p.admin('POST', `/tenants/${acme}/events`, { type: 'notification.created', subject: 's', data: {} })).resolves.toMatchObject({ status: 400, body: { error: { field: 'type' } } });
    await expect(p.admin('POST', `/tenants/${acme}/events`, { type: 'NoDots', subject: 's' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'type' } } });
    await expect(p.admin('POST', `/tenants/${acme}/events`, { type: TYPE, subject: '' })).resolves.toMatchObject({ status: 400, body: { error: { field: 'subject' } } });
    await expect(p.admin('POST', `/tenants/${acme}/events`, { type: TYPE, subject: 's', data: { big: 'x'.repeat(17_000) } })).resolves.toMatchObject({ status: 400, body: { error: { field: 'data' } } });
    await expect(p.admin('POST', `/tenants/${randomUUID()}/events`, { type: TYPE, subject: 's' })).resolves.toMatchObject({ status: 404 });
    await expect(request(t.baseUrl, 'POST', `/api/v1/admin/tenants/${acme}/events`, { bearer: members[0]!.token, body: { type: TYPE, subject: 's' } })).resolves.toMatchObject({ status: 401 });
    expect(await count()).toBe(before);
  });
});
