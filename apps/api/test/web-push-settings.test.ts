import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateVapidKeys } from '@pushline/channel-web-push';
import pino from 'pino';
import { ConfigError, loadConfig } from '../src/config.js';
import { resolveVapidDetails } from '../src/dev-vapid-keys.js';

const base = { JWT_SECRET: 'x'.repeat(40) };
const silent = pino({ level: 'silent' });

describe('web push settings', () => {
  it('take all three VAPID_* or none, checking the pair and the subject', () => {
    const pair = generateVapidKeys();
    const other = generateVapidKeys();
    const good = { VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey, VAPID_SUBJECT: 'mailto:ops@example.com' };
    expect(loadConfig({ ...base, ...good }).webPush.vapid).toEqual({ subject: 'mailto:ops@example.com', ...pair });
    expect(() => loadConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey })).toThrow(/VAPID_PUBLIC_KEY: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together/);
    expect(() => loadConfig({ ...base, ...good, VAPID_SUBJECT: 'ops@example.com' })).toThrow(/VAPID_SUBJECT: must be a mailto: or https: URL/);
    expect(() => loadConfig({ ...base, ...good, VAPID_PRIVATE_KEY: other.privateKey })).toThrow(/VAPID_PRIVATE_KEY: does not match VAPID_PUBLIC_KEY/);
    expect(() => loadConfig({ ...base, ...good, VAPID_PUBLIC_KEY: 'abc' })).toThrow(ConfigError);
  });

  it('allow http endpoints only outside production unless told, and read the allow-list and cap', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).webPush).toMatchObject({ allowHttp: false, allowedHosts: [], maxSubscriptionsPerUser: 20 });
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).webPush.allowHttp).toBe(true);
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', WEB_PUSH_ALLOW_HTTP: '1', WEB_PUSH_ALLOWED_HOSTS: '127.0.0.1, push.internal', WEB_PUSH_MAX_SUBSCRIPTIONS_PER_USER: '5' }).webPush,
    ).toMatchObject({ allowHttp: true, allowedHosts: ['127.0.0.1', 'push.internal'], maxSubscriptionsPerUser: 5 });
  });

  it('without VAPID_*: off in production, a pair kept per DATA_DIR (0600) in development', () => {
    expect(resolveVapidDetails(loadConfig({ ...base, NODE_ENV: 'production' }), silent)).toBeUndefined();
    const dataDir = mkdtempSync(join(tmpdir(), 'pushline-vapid-'));
    try {
      const config = loadConfig({ ...base, NODE_ENV: 'development', DATA_DIR: dataDir });
      const first = resolveVapidDetails(config, silent);
      expect(first).toMatchObject({ subject: expect.stringMatching(/^mailto:/), publicKey: expect.stringMatching(/^B/) });
      expect(resolveVapidDetails(config, silent)).toEqual(first);
      const file = join(dataDir, 'vapid-keys.json');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
