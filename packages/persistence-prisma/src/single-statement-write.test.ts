import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Notification, type DomainEvent, type NotificationCounts, type TransactionScope } from '@pushline/domain';
import { EventMother, givenUser, TEST_TENANT_ID } from '@pushline/testing';
import { NO_COMMIT_LISTENER } from './committed-entries.port.js';
import { PrismaEventLog } from './prisma-event-log.js';
import { PrismaUnitOfWork } from './prisma-unit-of-work.js';
import { PrismaUserRepository } from './prisma-user.repository.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';
import { webhookChannelMutes } from './webhook-channel-preference.js';
import { installedUsersReachable, PrismaWebhookOutbox } from './webhook-outbox.js';

const aNotification = (userId: string, now = new Date()): Notification =>
  Notification.create({ id: randomUUID(), tenantId: TEST_TENANT_ID, userId, title: 'Hello', now });

/** What CreateNotification does in its unit: lock the badge, save, advance, publish. */
async function createOne(scope: TransactionScope, userId: string, event: DomainEvent = EventMother.read(userId)): Promise<NotificationCounts> {
  await scope.notificationCounts.lock(userId);
  await scope.notifications.save(aNotification(userId));
  const counts = await scope.notificationCounts.advance({ tenantId: TEST_TENANT_ID, userId });
  await scope.events.publish([event]);
  return counts;
}

// The optimistic one-statement path (the default write mode) on both databases: what it reads must
// still hold when its statement runs, or the statement writes nothing and the work runs again.
describe.each(['postgres', 'pglite'] as const)('the one-statement write path on %s', (kind) => {
  let db: TestDatabase;
  let users: PrismaUserRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    users = new PrismaUserRepository(db.prisma);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('answers every concurrent change of one user with the counts of its own version, on one instance or several', async () => {
    const userId = await givenUser(users);
    // Four unit-of-work instances stand for four API processes: units of one instance take turns per
    // user, units of different instances are caught by the statement's check and run again.
    const instances = Array.from({ length: 4 }, () => new PrismaUnitOfWork(db.prisma));

    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => instances[i % 4]!.run((scope) => createOne(scope, userId))));

    // Each create adds one unseen notification: at version v the badge is exactly v.
    expect(answers.map((c) => c.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (const c of answers) expect(c).toEqual({ version: c.version, unseen: c.version, unread: c.version });
    await expect(new PrismaEventLog(db.prisma).headCursor(userId)).resolves.toBe(16);
  });

  it('writes nothing from a unit whose counter read went stale, and runs its work again', async () => {
    const userId = await givenUser(users);
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    const other = new PrismaUnitOfWork(db.prisma);
    let runs = 0;

    const counts = await unitOfWork.run(async (scope) => {
      runs += 1;
      await scope.notificationCounts.lock(userId);
      // Another change of the same user commits after this unit read the counter.
      if (runs === 1) await other.run((s) => createOne(s, userId));
      await scope.notifications.save(aNotification(userId));
      const c = await scope.notificationCounts.advance({ tenantId: TEST_TENANT_ID, userId });
      await scope.events.publish([EventMother.read(userId)]);
      return c;
    });

    expect(runs).toBe(2);
    expect(counts).toEqual({ version: 2, unseen: 2, unread: 2 });
    const rows = await db.prisma.notification.count({ where: { userId } });
    expect(rows).toBe(2);
    await expect(new PrismaEventLog(db.prisma).headCursor(userId)).resolves.toBe(2);
  });

  it('replays an idempotency key another request committed while this one ran, creating nothing', async () => {
    const userId = await givenUser(users);
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    const key = randomUUID();
    const claimAndCreate = (scope: TransactionScope, before?: () => Promise<unknown>) =>
      (async () => {
        const claim = await scope.idempotency.claim('app:test', key, 'hash', new Date(), TEST_TENANT_ID);
        if (claim.state === 'stored') return claim.response;
        await before?.();
        const counts = await createOne(scope, userId);
        await scope.idempotency.complete('app:test', key, { version: counts.version }, TEST_TENANT_ID);
        return { version: counts.version };
      })();

    const answer = await unitOfWork.run((scope) => claimAndCreate(scope, () => new PrismaUnitOfWork(db.prisma).run((s) => claimAndCreate(s))));

    expect(answer).toEqual({ version: 1 });
    expect(await db.prisma.notification.count({ where: { userId } })).toBe(1);
    expect(await db.prisma.idempotencyKey.count({ where: { key } })).toBe(1);
  });

  it('removes the oldest beyond the per-user cap in the same statement, and counts without them', async () => {
    const userId = await givenUser(users);
    const unitOfWork = new PrismaUnitOfWork(db.prisma);
    const t0 = Date.now() - 60_000;
    const oldest = aNotification(userId, new Date(t0));
    await unitOfWork.run(async (scope) => {
      await scope.notifications.save(oldest);
      await scope.notifications.save(aNotification(userId, new Date(t0 + 1000)));
    });

    const { removed, counts } = await unitOfWork.run(async (scope) => {
      await scope.notificationCounts.lock(userId);
      await scope.notifications.save(aNotification(userId));
      const gone = await scope.notifications.removeBeyondCap(userId, 2, new Date());
      return { removed: gone.map((n) => n.id), counts: await scope.notificationCounts.advance({ tenantId: TEST_TENANT_ID, userId }) };
    });

    expect(removed).toEqual([oldest.id]);
    expect(counts).toMatchObject({ unseen: 2, unread: 2 });
    expect(await db.prisma.notification.count({ where: { userId } })).toBe(2);
    expect(await db.prisma.notification.findUnique({ where: { id: oldest.id } })).toBeNull();
  });

  it('writes handler jobs, the event archive row and the tenant column with the stream entry', async () => {
    const userId = await givenUser(users);
    const unitOfWork = new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { handlersOf: (type) => (type === 'notification.read' ? ['audit'] : []) });
    const event = EventMother.read(userId);

    await unitOfWork.run((scope) => createOne(scope, userId, event));

    expect(await db.prisma.eventHandlerJob.findMany({ where: { eventId: event.id }, select: { handler: true } })).toEqual([{ handler: 'audit' }]);
    expect(await db.prisma.event.count({ where: { id: event.id } })).toBe(1);
    const [row] = await db.prisma.streamEvent.findMany({ where: { eventId: event.id } });
    expect(row).toMatchObject({ userId, cursor: 1n, tenantId: event.tenantid ?? null });
  });

  // Decision 56: the audit handler's row commits with the event, and its job is not queued.
  it.each(['single-statement', 'interactive'] as const)('writes the inline audit row instead of its handler job, keeping the other handlers\' jobs (%s)', async (writeMode) => {
    const userId = await givenUser(users);
    const inlineAudit = {
      handler: 'audit',
      entryOf: (e: DomainEvent) => ({ eventId: e.id, tenantId: e.tenantid ?? null, type: e.type, userId, subject: e.subject, deviceId: 'phone-1', correlationId: null, source: e.source, occurredAt: new Date(e.time) }),
    };
    // One statement in flight: units that finish meanwhile share the next one (group commit).
    const unitOfWork = new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { writeMode, handlersOf: () => ['audit', 'other'], inlineAudit, maxStatementsInFlight: 1 });
    // Concurrent units of several users.
    const events = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const owner = await givenUser(users);
        const event = EventMother.read(owner);
        await unitOfWork.run((scope) => createOne(scope, owner, event));
        return event;
      }),
    );
    const mine = EventMother.read(userId);
    await unitOfWork.run((scope) => createOne(scope, userId, mine));

    const ids = [...events, mine].map((e) => e.id);
    const jobs = await db.prisma.eventHandlerJob.findMany({ where: { eventId: { in: ids } }, select: { handler: true, eventId: true } });
    expect(jobs.map((j) => j.handler)).toEqual(ids.map(() => 'other'));
    expect(await db.prisma.auditLogEntry.count({ where: { eventId: { in: ids } } })).toBe(ids.length);
    await expect(db.prisma.auditLogEntry.findUnique({ where: { eventId: mine.id } })).resolves.toEqual({
      eventId: mine.id,
      tenantId: mine.tenantid ?? null,
      type: mine.type,
      userId,
      subject: mine.subject,
      deviceId: 'phone-1',
      correlationId: null,
      source: mine.source,
      occurredAt: new Date(mine.time),
    });
  });

  it('writes no audit row from a unit whose statement went stale: the row commits with the unit or not at all', async () => {
    const userId = await givenUser(users);
    const inlineAudit = { handler: 'audit', entryOf: (e: DomainEvent) => ({ eventId: e.id, type: e.type, userId, subject: e.subject, deviceId: null, correlationId: null, source: e.source, occurredAt: new Date(e.time) }) };
    const unitOfWork = new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { handlersOf: () => ['audit'], inlineAudit, optimisticAttempts: 1 });
    const other = new PrismaUnitOfWork(db.prisma);
    const first = EventMother.read(userId);
    const published: string[] = [];

    await unitOfWork.run(async (scope) => {
      const event = published.length === 0 ? first : EventMother.read(userId);
      published.push(event.id);
      await scope.notificationCounts.lock(userId);
      // Another instance changes the user after this unit read its counter: this unit's statement is stale.
      if (published.length === 1) await other.run((s) => createOne(s, userId));
      await scope.notifications.save(aNotification(userId));
      await scope.notificationCounts.advance({ tenantId: TEST_TENANT_ID, userId });
      await scope.events.publish([event]);
    });

    // The stale statement wrote nothing; the run that committed (the interactive transaction) wrote its own row.
    expect(published).toHaveLength(2);
    await expect(db.prisma.auditLogEntry.findUnique({ where: { eventId: first.id } })).resolves.toBeNull();
    await expect(db.prisma.auditLogEntry.count({ where: { eventId: published[1]! } })).resolves.toBe(1);
  });

  it('queues webhook deliveries only for users who installed the subscribing app', async () => {
    const installed = await givenUser(users);
    const stranger = await givenUser(users);
    const appId = `app-${randomUUID()}`;
    const now = new Date();
    await db.prisma.appInstallation.create({ data: { tenantId: TEST_TENANT_ID, appId, userId: installed, createdAt: now } });
    const subscriptionId = randomUUID();
    await db.prisma.webhookSubscription.create({
      data: { id: subscriptionId, owner: appId, tenantId: TEST_TENANT_ID, url: 'https://example.com/hook', eventTypes: ['notification.*'], userIds: [], description: '', enabled: true, secret: 's', createdAt: now, updatedAt: now },
    });
    const webhooks = new PrismaWebhookOutbox({ audience: installedUsersReachable });
    const unitOfWork = new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { webhooks });
    const toInstalled = EventMother.read(installed);
    const toStranger = EventMother.read(stranger);

    await unitOfWork.run((scope) => createOne(scope, installed, toInstalled));
    await unitOfWork.run((scope) => createOne(scope, stranger, toStranger));

    const deliveries = await db.prisma.webhookDelivery.findMany({ where: { subscriptionId } });
    expect(deliveries.map((d) => d.eventId)).toEqual([toInstalled.id]);
    expect(deliveries[0]).toMatchObject({ status: 'pending', eventType: toInstalled.type, payload: JSON.stringify(toInstalled) });
  });

  // Both write paths: the statement's SQL and the transaction's query (webhookChannelMutes) apply one rule.
  it.each(['single-statement', 'interactive'] as const)(
    "queues no webhook delivery for a user who muted the category's webhook channel in the event's tenant (%s)",
    async (writeMode) => {
      const muting = await givenUser(users);
      const listening = await givenUser(users);
      const mutedElsewhere = await givenUser(users);
      const now = new Date();
      const subscriptionId = randomUUID();
      await db.prisma.webhookSubscription.create({
        data: { id: subscriptionId, owner: 'operator', tenantId: TEST_TENANT_ID, url: 'https://example.com/hook', eventTypes: ['notification.created'], userIds: [], description: '', enabled: true, secret: 's', createdAt: now, updatedAt: now },
      });
      await db.prisma.notificationPreference.create({ data: { tenantId: TEST_TENANT_ID, userId: muting, category: 'orders', webhook: false, updatedAt: now } });
      // A row of another tenant (as left by a user's move) must not mute this tenant's events.
      await db.prisma.notificationPreference.create({ data: { tenantId: 'tenant-other', userId: mutedElsewhere, category: 'orders', webhook: false, updatedAt: now } });
      const orders = { name: 'orders', description: 'Orders', critical: false, defaults: { in_app: true, email: true, web_push: true, webhook: true } };
      const webhooks = new PrismaWebhookOutbox({ mutedRows: webhookChannelMutes((category) => (category === 'orders' ? orders : undefined)) });
      const unitOfWork = new PrismaUnitOfWork(db.prisma, NO_COMMIT_LISTENER, { webhooks, writeMode });
      const created = (userId: string, tenantid?: string) => {
        const event = EventMother.created(userId);
        return { ...event, ...(tenantid && { tenantid }), data: { ...(event.data as object), category: 'orders' } } as DomainEvent;
      };
      // Without a tenant the event is its user's: the user's tenant's choice applies.
      const toMutingTenantless = created(muting);
      const toMuting = created(muting, TEST_TENANT_ID);
      const toListening = created(listening, TEST_TENANT_ID);
      const toMutedElsewhere = created(mutedElsewhere, TEST_TENANT_ID);

      for (const [userId, event] of [[muting, toMutingTenantless], [muting, toMuting], [listening, toListening], [mutedElsewhere, toMutedElsewhere]] as const) {
        await unitOfWork.run((scope) => createOne(scope, userId, event));
      }

      const deliveries = await db.prisma.webhookDelivery.findMany({ where: { subscriptionId } });
      expect(deliveries.map((d) => d.eventId).sort()).toEqual([toListening.id, toMutedElsewhere.id].sort());
    },
  );
});
