import { ConfigError, loadConfig } from './config.js';
import { DEMO_TENANT, DEMO_USERS } from './demo-users.js';
import { createLogger } from './logger.js';
import { startApi } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  const api = await startApi(config, { logger });
  const database = config.database.url ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.database.dataDir}`;
  console.log(`\nPushline API listening on ${api.url}  (database: ${database})`);
  if (config.seedDemo) {
    console.log(`Demo tenant: ${DEMO_TENANT.name}  (id ${DEMO_TENANT.id})`);
    console.log('Demo users:');
    for (const user of DEMO_USERS) console.log(`  ${user.email}  /  ${user.password}`);
  }
  console.log(`Try: curl -s -X POST ${api.url}/api/v1/auth/login -H 'content-type: application/json' \\
       -d '{"email":"alice@example.com","password":"alice-demo-password"}'\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    api.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Pushline API failed to start:', error);
  process.exit(1);
});
