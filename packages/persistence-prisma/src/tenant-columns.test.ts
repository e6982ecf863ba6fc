import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from './testing/create-test-database.js';

/**
 * Issue #10 / decision 0018: every tenant-owned table carries tenant_id. A table is tenant-owned when
 * it has a user_id (or user_ids) or an app owner; the exceptions are keyed by a parent row that
 * carries the tenant, and are named here with that parent.
 */
const KEYED_BY_A_PARENT: Readonly<Record<string, string>> = {
  webhook_deliveries: 'webhook_subscriptions (subscription_id, cascade)',
  webhook_delivery_attempts: 'webhook_deliveries (delivery_id, cascade)',
  webhook_status_events: 'webhook_subscriptions (subscription_id, cascade)',
};

/** Nullable exactly where the row is written from an event envelope, whose tenant is null outside any tenant. */
const NULLABLE_TENANT = ['audit_log', 'events', 'stream_events', 'user_streams'];

describe.each(['postgres', 'pglite'] as const)('tenant_id on the tenant-owned tables (%s)', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db.dispose();
  });

  const columns = async () =>
    db.prisma.$queryRaw<{ table_name: string; column_name: string; is_nullable: string }[]>`
      SELECT table_name::text AS table_name, column_name::text AS column_name, is_nullable::text AS is_nullable FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name IN ('tenant_id', 'user_id', 'user_ids', 'owner', 'subscription_id', 'delivery_id')`;

  it('has tenant_id on every table with a user or an app owner, unless a parent row carries it', async () => {
    const rows = await columns();
    const tables = (column: string) => new Set(rows.filter((r) => r.column_name === column).map((r) => r.table_name));
    const withTenant = tables('tenant_id');
    const owned = new Set([...tables('user_id'), ...tables('user_ids'), ...tables('owner')]);
    const children = new Set([...tables('subscription_id'), ...tables('delivery_id')]);

    const missing = [...owned, ...children].filter((t) => !withTenant.has(t) && !(t in KEYED_BY_A_PARENT)).sort();
    expect(missing).toEqual([]);
    // An exception that gained the column (or lost its parent key) must leave the list.
    expect(Object.keys(KEYED_BY_A_PARENT).filter((t) => withTenant.has(t) || !children.has(t))).toEqual([]);
    expect(owned.size).toBeGreaterThan(10);
  });

  it('has tenant_id NOT NULL except where the row comes from an event envelope', async () => {
    const nullable = (await columns()).filter((r) => r.column_name === 'tenant_id' && r.is_nullable === 'YES').map((r) => r.table_name).sort();
    expect(nullable).toEqual(NULLABLE_TENANT);
  });
});
