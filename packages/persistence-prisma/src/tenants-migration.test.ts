import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyMigrations } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

const repoMigrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prisma/migrations');
const TENANTS_MIGRATION = '20261201213000_tenants';
/** #10's migrations; every other one of that release (main's, some of them later by name) is applied before them. */
const TENANT_MIGRATIONS = [TENANTS_MIGRATION, '20261201220000_apps_and_events'];
/** Migrations written after the tenants release (they may build on its tables) are not part of the old database. */
const LATER_RELEASES_FROM = '20261202';
const DEMO_TENANT_ID = '00000000-0000-4000-8000-000000000001';

/**
 * The tenants migration on a database that already holds users, notifications and stream events: one at
 * every migration but #10's (a database of the release before tenants), so they apply after later ones.
 */
describe.each(['pglite', 'postgres'] as const)('the tenants migration on a non-empty %s database', (kind) => {
  let db: TestDatabase;
  let before: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind, { migrate: false });
    before = await mkdtemp(path.join(os.tmpdir(), 'pushline-pre-tenants-'));
    for (const name of await readdir(repoMigrations)) {
      if (!TENANT_MIGRATIONS.includes(name) && name < LATER_RELEASES_FROM && !name.endsWith('.toml')) await cp(path.join(repoMigrations, name), path.join(before, name), { recursive: true });
    }
  });

  afterAll(async () => {
    await db?.dispose();
    await rm(before, { recursive: true, force: true });
  });

  it('moves existing rows to the demo tenant and keeps them', async () => {
    await applyMigrations(db, { migrationsDir: before });
    await db.prisma.$executeRawUnsafe(`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u1', 'old@example.com', 'h', now())`);
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO notifications (id, user_id, title, body, priority, category, source, created_at, updated_at) VALUES ('n1', 'u1', 't', '', 'normal', 'general', 'user', now(), now())`,
    );
    await db.prisma.$executeRawUnsafe(`INSERT INTO stream_events (user_id, cursor, event_id, type, envelope) VALUES ('u1', 1, 'e1', 'notification.created', '{}')`);

    await applyMigrations(db);

    await expect(db.prisma.tenant.findMany()).resolves.toEqual([expect.objectContaining({ id: DEMO_TENANT_ID, name: 'demo' })]);
    await expect(db.prisma.user.findUnique({ where: { id: 'u1' } })).resolves.toMatchObject({ tenantId: DEMO_TENANT_ID, email: 'old@example.com', passwordHash: 'h', disabledAt: null });
    await expect(db.prisma.notification.findUnique({ where: { id: 'n1' } })).resolves.toMatchObject({ tenantId: DEMO_TENANT_ID });
    await expect(db.prisma.streamEvent.findFirst({ where: { eventId: 'e1' } })).resolves.toMatchObject({ tenantId: DEMO_TENANT_ID });
  });
});
