import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyMigrations } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

const repoMigrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prisma/migrations');
/** Decision 61: the users' outbox moves from stream_events.published_at to its own table. */
const OUTBOX_MIGRATION = '20261204120000_stream_outbox';
const DEMO_TENANT_ID = '00000000-0000-4000-8000-000000000001';

/** The migration on a database that holds published and unpublished entries (every migration before it applied). */
describe.each(['pglite', 'postgres'] as const)('the stream outbox migration on a non-empty %s database', (kind) => {
  let db: TestDatabase;
  let before: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind, { migrate: false });
    before = await mkdtemp(path.join(os.tmpdir(), 'pushline-pre-outbox-'));
    for (const name of await readdir(repoMigrations)) {
      if (name < OUTBOX_MIGRATION && !name.endsWith('.toml')) await cp(path.join(repoMigrations, name), path.join(before, name), { recursive: true });
    }
  });

  afterAll(async () => {
    await db?.dispose();
    await rm(before, { recursive: true, force: true });
  });

  it('keeps exactly the unpublished entries to be published', async () => {
    await applyMigrations(db, { migrationsDir: before });
    await db.prisma.$executeRawUnsafe(`INSERT INTO users (id, tenant_id, email, password_hash, created_at) VALUES ('u1', '${DEMO_TENANT_ID}', 'old@example.com', 'h', now())`);
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO stream_events (tenant_id, user_id, cursor, event_id, type, envelope, published_at)
       VALUES ('${DEMO_TENANT_ID}', 'u1', 1, 'e1', 'notification.created', '{}', now()),
              ('${DEMO_TENANT_ID}', 'u1', 2, 'e2', 'notification.created', '{}', NULL),
              ('${DEMO_TENANT_ID}', 'u1', 3, 'e3', 'notification.created', '{}', NULL)`,
    );

    await applyMigrations(db);

    const pending = await db.prisma.$queryRaw<{ event_id: string }[]>`SELECT e.event_id FROM stream_outbox o JOIN stream_events e ON e.seq = o.seq ORDER BY o.seq`;
    expect(pending.map((p) => p.event_id)).toEqual(['e2', 'e3']);
    await expect(db.prisma.streamEvent.count({ where: { userId: 'u1' } })).resolves.toBe(3);
  });
});
