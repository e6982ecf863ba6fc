import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient, type Prisma } from './generated/prisma/client.js';
import { preparedPgSql, registerHotSql } from './hot-sql.js';
import { ensurePrivateDirectory, makePrivate } from './private-files.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseConfig {
  /** PostgreSQL connection string. When set, Prisma talks to PostgreSQL through @prisma/adapter-pg. */
  readonly url?: string;
  /**
   * Without `url`: directory of an embedded, file-backed PGlite database (created if missing).
   * Without either: an in-memory PGlite database, gone on dispose.
   */
  readonly dataDir?: string;
  /** Most PostgreSQL connections this process opens. Default 10. */
  readonly maxConnections?: number;
  /**
   * Told about an error on an idle PostgreSQL connection (server restart, terminated backend). The
   * pool drops that connection and opens a new one when needed; without a listener, the error would
   * be an unhandled 'error' event and end the process.
   */
  readonly onIdleConnectionError?: (error: Error) => void;
}

/** The driver under Prisma, for the one job Prisma cannot do: run multi-statement migration scripts. */
export type DatabaseDriver =
  | { readonly kind: 'postgres'; readonly pool: pg.Pool }
  | { readonly kind: 'pglite'; readonly pglite: PGlite };

export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: DatabaseKind;
  readonly driver: DatabaseDriver;
  /** True when the database answers a trivial query (readiness probes). */
  ping(): Promise<boolean>;
  /** Disconnects Prisma, then closes the pool or the embedded database. */
  dispose(): Promise<void>;
}

/** Opens PostgreSQL when `config.url` is set, else embedded PGlite. Does not migrate: see `applyMigrations`. */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url) {
    // Our own pool, handed to the adapter, so migrations can take a connection from the same pool.
    const pool = new pg.Pool({ connectionString: config.url, max: config.maxConnections ?? 10 });
    // pool.end() resolves before its connections have closed, so this also covers a database that is
    // dropped right after dispose.
    pool.on('error', config.onIdleConnectionError ?? (() => {}));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    // Two connections whose commits do not wait for the WAL flush, for progress markers only (hot-sql.ts).
    // Planned at every execution: their statements join stream_events and scan the job queue, whose
    // sizes change by orders of magnitude, and a prepared statement's generic plan, made once while a
    // table was small, kept scanning all of it (the relay's mark read every stream row, 41 ms at 200k
    // rows against 0.1 ms by the index). A custom plan costs ~0.2 ms of planning per mark.
    const markers = new pg.Pool({ connectionString: config.url, max: 2, options: '-c synchronous_commit=off -c plan_cache_mode=force_custom_plan' });
    markers.on('error', config.onIdleConnectionError ?? (() => {}));
    registerHotSql(prisma, preparedPgSql(pool), preparedPgSql(markers));
    return {
      prisma,
      kind: 'postgres',
      driver: { kind: 'postgres', pool },
      ping: () => ping(prisma),
      async dispose() {
        await prisma.$disconnect();
        await Promise.all([pool.end(), markers.end()]);
      },
    };
  }
  const dataDir = config.dataDir;
  if (dataDir) await ensurePrivateDirectory(dataDir);
  const pglite = await PGlite.create(dataDir ?? 'memory://');
  if (dataDir) await makePrivate(dataDir);
  // pglite-prisma-adapter 0.6 is typed against @prisma/driver-adapter-utils 6.10; its runtime contract
  // is what 6.19 calls (the contract tests run on it), only ArgType's declaration grew since.
  const adapter = new PrismaPGlite(pglite) as unknown as Prisma.PrismaClientOptions['adapter'];
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    kind: 'pglite',
    driver: { kind: 'pglite', pglite },
    ping: () => ping(prisma),
    async dispose() {
      await prisma.$disconnect();
      await pglite.close();
      if (dataDir) await makePrivate(dataDir).catch(() => undefined);
    },
  };
}

async function ping(prisma: PrismaClient): Promise<boolean> {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
