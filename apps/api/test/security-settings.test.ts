import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../src/config.js';

describe('hardening settings', () => {
  it('default to the safe side: same origin only, no trusted proxy, bounded timeouts and limits', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      sessions: { absoluteSeconds: 30 * 24 * 3600, idleSeconds: 7 * 24 * 3600 },
      allowedOrigins: [],
      trustProxy: false,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxUnauthenticatedConnectionsPerIp: 100,
      rateLimits: { writesPerUserPerMinute: 120, loginFailuresPerAccountPerHour: 20 },
    });
  });

  it.each([
    ['loopback', ['loopback']],
    ['2', 2],
    ['false', false],
    ['loopback, 10.0.0.0/8, ::1, fd00::/8', ['loopback', '10.0.0.0/8', '::1', 'fd00::/8']],
  ] as const)('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('reads CORS_ORIGINS as exact origins, without a trailing slash', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com/, http://localhost:5173' }).allowedOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it.each([
    ['TRUST_PROXY', 'everyone'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
    ['REQUEST_TIMEOUT_MS', '0'],
    ['SESSION_TTL_SECONDS', '-1'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});
