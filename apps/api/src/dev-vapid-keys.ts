import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateVapidKeys, vapidProblems, type VapidDetails } from '@pushline/channel-web-push';
import type { Logger } from 'pino';
import type { Config } from './config.js';

const DEV_SUBJECT = 'mailto:dev@pushline.invalid';

/**
 * The VAPID identity in use: the configured one; without it, in development a pair kept beside the
 * embedded database (so browsers' subscriptions, bound to the public key, survive a restart), in tests
 * a pair of this process; in production none (web push off). Generating logs one line, never the key.
 */
export function resolveVapidDetails(config: Config, logger: Logger): VapidDetails | undefined {
  if (config.webPush.vapid) return config.webPush.vapid;
  if (config.env === 'production') {
    logger.info('web push is off: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT to turn it on');
    return undefined;
  }
  if (config.env === 'test') {
    logger.info('web push: VAPID keys not set; generated a pair for this process');
    return { subject: DEV_SUBJECT, ...generateVapidKeys() };
  }
  const file = join(config.database.dataDir, 'vapid-keys.json');
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as VapidDetails;
    if (vapidProblems(kept).length === 0) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  const details = { subject: DEV_SUBJECT, ...generateVapidKeys() };
  mkdirSync(config.database.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(details)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  logger.info({ file }, 'web push: VAPID keys not set; generated a development pair (set VAPID_* in production)');
  return details;
}
