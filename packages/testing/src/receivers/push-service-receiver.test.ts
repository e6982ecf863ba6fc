import { createECDH, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ece from 'http_ece';
import { importJWK, SignJWT } from 'jose';
import { PushServiceReceiver, type BrowserPushSubscription } from './push-service-receiver.js';

/** An application server identity made here with node:crypto and jose (no web-push involved). */
function serverKeys() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const raw = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]).toString('base64url');
  return { jwk, k: raw };
}

/**
 * The verifier must be able to fail: hand-made requests with a wrong audience, a far expiry, another
 * key, another algorithm or a broken body are refused (403) or left undecrypted.
 */
describe('PushServiceReceiver (its own checks)', () => {
  let service: PushServiceReceiver;
  let browser: BrowserPushSubscription;
  const server = serverKeys();
  beforeAll(async () => {
    service = await PushServiceReceiver.start();
    browser = service.subscribe({ applicationServerKey: server.k });
  });
  afterAll(async () => {
    await service?.close();
  });

  async function token(claims: { aud?: string; expIn?: number; sub?: string }, key = server.jwk, alg = 'ES256') {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ aud: claims.aud ?? service.origin, exp: now + (claims.expIn ?? 3600), sub: claims.sub ?? 'mailto:ops@example.test' })
      .setProtectedHeader({ alg, typ: 'JWT' })
      .sign(alg === 'ES256' ? await importJWK(key, 'ES256') : new TextEncoder().encode('a-shared-secret-of-enough-length!!'));
  }

  function encrypted(text: string): Buffer {
    const sender = createECDH('prime256v1');
    sender.generateKeys();
    return ece.encrypt(Buffer.from(text), { version: 'aes128gcm', privateKey: sender, dh: browser.keys.p256dh, authSecret: browser.keys.auth });
  }

  async function push(authorization: string, body = encrypted('{"title":"hi"}'), headers: Record<string, string> = { ttl: '60' }) {
    const res = await fetch(browser.endpoint, { method: 'POST', headers: { authorization, 'content-encoding': 'aes128gcm', ...headers }, body });
    return { status: res.status, push: service.received.at(-1)! };
  }

  it('accepts a well-signed request and decrypts its body', async () => {
    const { status, push: p } = await push(`vapid t=${await token({})}, k=${server.k}`);
    expect(status).toBe(201);
    expect(p).toMatchObject({ vapidVerified: true, plaintext: '{"title":"hi"}', ttl: 60 });
  });

  it('refuses a wrong audience, an expiry beyond 24 h, a subject that is not a URL, HS256, another key, no TTL', async () => {
    const other = serverKeys();
    const cases: [string, Record<string, string>?][] = [
      [`vapid t=${await token({ aud: 'https://fcm.googleapis.com' })}, k=${server.k}`],
      [`vapid t=${await token({ expIn: 25 * 3600 })}, k=${server.k}`],
      [`vapid t=${await token({ expIn: -60 })}, k=${server.k}`],
      [`vapid t=${await token({ sub: 'ops@example.test' })}, k=${server.k}`],
      [`vapid t=${await token({}, server.jwk, 'HS256')}, k=${server.k}`],
      // Signed by another key that it also names: not the key the browser subscribed with.
      [`vapid t=${await token({}, other.jwk)}, k=${other.k}`],
      // Signed by another key, naming ours: the signature does not verify.
      [`vapid t=${await token({}, other.jwk)}, k=${server.k}`],
      [`WebPush ${await token({})}`],
    ];
    for (const [authorization] of cases) expect(await push(authorization).then((r) => [r.status, r.push.vapidVerified])).toEqual([403, false]);
    expect((await push(`vapid t=${await token({})}, k=${server.k}`, undefined, {})).status).toBe(400);
  });

  it('records a body it cannot decrypt, and answers 404 for an unknown endpoint, 410 after unsubscribe', async () => {
    const tampered = encrypted('{"title":"hi"}');
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    const { push: p } = await push(`vapid t=${await token({})}, k=${server.k}`, tampered);
    expect(p).toMatchObject({ vapidVerified: true, plaintext: null, decryptError: expect.any(String) });
    const unknown = await fetch(`${service.origin}/push/00000000-0000-0000-0000-000000000000`, { method: 'POST', headers: { ttl: '60' } });
    expect(unknown.status).toBe(404);
    service.unsubscribe(browser.endpoint);
    expect((await push(`vapid t=${await token({})}, k=${server.k}`)).status).toBe(410);
  });
});
