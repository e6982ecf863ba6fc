import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@pushline/domain';
import { EventMother } from '@pushline/testing';
import { installedUsersReachable, PrismaWebhookOutbox, type WebhookAudiencePolicy } from './webhook-outbox.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

const MEMBERS = 1201;

// A broadcast's reach under an audience rule that exists only in code: members are asked page by
// page, never all at once, and the first reachable member settles it.
describe('webhook outbox: a broadcast under a code-only audience rule', () => {
  let db: TestDatabase;
  const tenantId = randomUUID();
  let ids: string[];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    ids = Array.from({ length: MEMBERS }, () => randomUUID()).sort();
    await db.prisma.$executeRaw`INSERT INTO users (id, tenant_id, email, created_at)
      SELECT id, ${tenantId}, id || '@example.com', now() FROM unnest(${ids}::text[]) AS id`;
    const now = new Date();
    await db.prisma.webhookSubscription.create({
      data: { id: randomUUID(), tenantId, owner: 'app-1', url: 'http://127.0.0.1:9/hooks', eventTypes: ['*'], userIds: [], description: '', enabled: true, secret: 'whsec_test', createdAt: now, updatedAt: now },
    });
  });

  afterAll(async () => {
    await db?.dispose();
  });

  const broadcast = (): DomainEvent => ({ ...EventMother.read(randomUUID()), type: 'store.maintenance_scheduled', tenantid: tenantId });
  const recording = (reachable: ReadonlySet<string>) => {
    const asked: number[] = [];
    const audience: WebhookAudiencePolicy = {
      reachableUsers: async (_tx, _owner, userIds) => {
        asked.push(userIds.length);
        return userIds.filter((u) => reachable.has(u));
      },
    };
    return { asked, outbox: new PrismaWebhookOutbox({ audience }) };
  };

  it('queues the delivery when only the last member is reachable, asking in bounded pages', async () => {
    const { asked, outbox } = recording(new Set([ids.at(-1)!]));
    await expect(db.prisma.$transaction((tx) => outbox.enqueueBroadcast(tx, tenantId, [broadcast()]))).resolves.toBe(1);
    expect(asked).toEqual([500, 500, 201]);
  });

  it('queues nothing when no member is reachable, after every page', async () => {
    const { asked, outbox } = recording(new Set());
    await expect(db.prisma.$transaction((tx) => outbox.enqueueBroadcast(tx, tenantId, [broadcast()]))).resolves.toBe(0);
    expect(asked.reduce((a, b) => a + b, 0)).toBe(MEMBERS);
  });

  it('under the installed-users rule, counts only installations of members who are not disabled', async () => {
    const outbox = new PrismaWebhookOutbox({ audience: installedUsersReachable });
    const installer = ids[7]!;
    await db.prisma.appInstallation.create({ data: { tenantId, appId: 'app-1', userId: installer, createdAt: new Date() } });
    const send = () => db.prisma.$transaction((tx) => outbox.enqueueBroadcast(tx, tenantId, [broadcast()]));
    await expect(send()).resolves.toBe(1);
    await db.prisma.user.update({ where: { id: installer }, data: { disabledAt: new Date() } });
    await expect(send()).resolves.toBe(0);
    await db.prisma.user.update({ where: { id: installer }, data: { disabledAt: null } });
    await db.prisma.appInstallation.delete({ where: { appId_userId: { appId: 'app-1', userId: installer } } });
  });

  it('stops at the first page with a reachable member', async () => {
    const { asked, outbox } = recording(new Set([ids[3]!]));
    await expect(db.prisma.$transaction((tx) => outbox.enqueueBroadcast(tx, tenantId, [broadcast()]))).resolves.toBe(1);
    expect(asked).toEqual([500]);
  });
});
