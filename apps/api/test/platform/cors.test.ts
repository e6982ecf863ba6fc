import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logIn } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

const ALLOWED = 'http://app.example.test:8080';

describe('CORS for browser clients on other origins (CORS_ORIGINS)', () => {
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi({ env: { CORS_ORIGINS: `${ALLOWED}, https://other.example.test` } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  const preflight = (origin: string) =>
    fetch(`${t.baseUrl}/api/v1/notifications`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, idempotency-key' },
    });

  it('answers a listed origin with credentials allowed, and lets it read the answer', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');

    const alice = await logIn(t.baseUrl, 'alice@example.com', 'alice-demo-password');
    const me = await fetch(`${t.baseUrl}/api/v1/me`, { headers: { Origin: ALLOWED, Cookie: alice.cookie } });
    expect(me.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(me.headers.get('vary')).toContain('Origin');
  });

  it('gives any other origin no CORS headers', async () => {
    for (const origin of ['http://evil.example.test', 'http://app.example.test:9090', 'null']) {
      const res = await preflight(origin);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
