/**
 * Prisma CLI configuration, used only to author and inspect migrations (the app applies them itself at
 * start-up, see docs/persistence.md). Run the CLI through `npm run prisma -- <args>` (prisma/cli.sh).
 *
 * Only the npm registry is reachable, so the native schema engine is never downloaded: the CLI uses the
 * JavaScript schema engine over @prisma/adapter-pg, with two upstream work-arounds (see
 * docs/decisions/0003-prisma-6-offline.md).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { defineConfig } from 'prisma/config';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The database `migrate dev` works against; created when missing. Never the app's own database. */
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/pushline_dev';

// prisma/orm#27403: adapter-pg has no column type for the catalog types `"char"` (OID 18) and `name`
// (OID 19), which the schema engine's introspection reads. Both are plain text on the wire, so report
// them as `text` (OID 25) before pg picks its parsers and adapter-pg maps the columns.
const TEXT_OID = 25;
const resultPrototype = pg.Result.prototype as unknown as { addFields(fields: { dataTypeID: number }[]): void };
const addFields = resultPrototype.addFields;
resultPrototype.addFields = function (this: unknown, fields) {
  for (const field of fields) if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = TEXT_OID;
  addFields.call(this, fields);
};

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onMaintenanceDb<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await onMaintenanceDb(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  });
}

/**
 * adapter-pg's own shadow database handling connects to the main database when given a connection
 * string, and drops the shadow database while its pool is still open. This factory creates the shadow
 * database, connects a separate adapter to it, and drops it only after that adapter is disposed.
 * A plain object, not a class instance: Prisma copies the factory's own properties when it wraps it.
 */
function shadowSafePgFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => new PrismaPg({ connectionString: url }).connect(),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      await onMaintenanceDb(url, (c) => c.query(`CREATE DATABASE "${name}"`));
      const adapter = await new PrismaPg({ connectionString: withDatabase(url, name) }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await onMaintenanceDb(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      };
      return adapter;
    },
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(here, 'schema.prisma'),
  migrations: { path: path.join(here, 'migrations') },
  async adapter() {
    await ensureDatabase(databaseUrl);
    return shadowSafePgFactory(databaseUrl);
  },
});
