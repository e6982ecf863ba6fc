import type { DestinationStream } from 'pino';
import { createTestDatabase } from '@pushline/persistence-prisma/testing';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startApi, type RunningApi } from '../../src/server.js';

export const TEST_JWT_SECRET = 'e2e-secret-long-enough-for-hs256-signing';

export interface TestApi {
  readonly api: RunningApi;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/**
 * A real server on a random port, on a fresh database of its own (PostgreSQL by default, or the
 * embedded PGlite in a temporary folder), with the demo users seeded.
 */
export async function startTestApi(
  options: { database?: 'postgres' | 'pglite'; env?: Record<string, string>; logDestination?: DestinationStream } = {},
): Promise<TestApi> {
  const kind = options.database ?? 'postgres';
  const database = await createTestDatabase(kind);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    JWT_SECRET: TEST_JWT_SECRET,
    SEED_DEMO: '1',
    LOG_LEVEL: options.logDestination ? 'info' : 'silent',
    ...(database.url ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
    ...options.env,
  });
  // The test database helper applied the migrations; the API applies them again as a no-op, the
  // same path a production start takes.
  await database.dispose({ keep: true });
  const logger = createLogger(config, options.logDestination);
  const api = await startApi(config, { logger });
  return {
    api,
    baseUrl: api.url,
    stop: async () => {
      await api.close();
      await database.drop();
    },
  };
}
