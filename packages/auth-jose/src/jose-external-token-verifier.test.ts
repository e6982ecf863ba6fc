import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthenticationError } from '@pushline/domain';
import { hmacWithPublicKey, LocalIdentityProvider, unsignedToken, type SigningKey } from '@pushline/testing';
import { JoseExternalTokenVerifier } from './jose-external-token-verifier.js';

const claims = { sub: 'ext-user-1', tid: 'tenant-1', email: 'ext@example.test' };

describe('JoseExternalTokenVerifier', () => {
  let idp: LocalIdentityProvider;
  let rsa: SigningKey;
  let ec: SigningKey;
  let verifier: JoseExternalTokenVerifier;

  beforeAll(async () => {
    idp = await LocalIdentityProvider.start();
    [rsa, ec] = [await LocalIdentityProvider.key('RS256', 'rsa-1'), await LocalIdentityProvider.key('ES256', 'ec-1')];
    idp.rotate(rsa, ec);
    verifier = new JoseExternalTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: 'pushline', tenantClaim: 'tid', jwksCooldownMs: 0 });
  });

  afterAll(async () => {
    await idp?.stop();
  });

  it('accepts RS256 and ES256 tokens of the JWKS and maps the claims', async () => {
    for (const key of [rsa, ec]) {
      await expect(verifier.verify(await idp.sign(key, { ...claims, jti: `j-${key.kid}` }))).resolves.toEqual({
        externalId: 'ext-user-1',
        tenantId: 'tenant-1',
        email: 'ext@example.test',
        tokenId: `j-${key.kid}`,
        expiresAt: expect.any(Date),
      });
    }
  });

  it('picks up a rotated key, and caches the key set between rotations', async () => {
    const before = idp.fetches;
    await verifier.verify(await idp.sign(rsa, claims));
    expect(idp.fetches).toBe(before);
    const next = await LocalIdentityProvider.key('RS256', 'rsa-2');
    idp.rotate(next, ec);
    await expect(verifier.verify(await idp.sign(next, claims))).resolves.toMatchObject({ externalId: 'ext-user-1' });
    expect(idp.fetches).toBe(before + 1);
    idp.rotate(rsa, ec);
  });

  it('refuses forged, expired, wrong-issuer, wrong-audience, alg none and HS256-with-the-public-key tokens', async () => {
    const stranger = await LocalIdentityProvider.key('RS256', 'rsa-1');
    const hs256WithPublicKey = await hmacWithPublicKey(rsa, claims, idp.issuer);
    const bad = [
      await idp.sign(stranger, claims),
      await idp.sign(rsa, claims, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await idp.sign(rsa, claims, { issuer: 'https://evil.example/' }),
      await idp.sign(rsa, claims, { audience: 'someone-else' }),
      unsignedToken({ ...claims, iss: idp.issuer, aud: 'pushline', exp: Math.floor(Date.now() / 1000) + 3600 }),
      hs256WithPublicKey,
      await idp.sign(rsa, { sub: 'no-tenant' }),
      'not-a-token',
    ];
    for (const token of bad) await expect(verifier.verify(token)).rejects.toThrow(AuthenticationError);
    await expect(verifier.verify(bad[1]!)).rejects.toThrow('the access token has expired');
  });

  it("leaves Pushline's own HS256 tokens to the built-in login", async () => {
    expect(verifier.accepts(await idp.sign(rsa, claims))).toBe(true);
    expect(verifier.accepts(unsignedToken(claims))).toBe(true);
    expect(verifier.accepts('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
    expect(verifier.accepts('garbage')).toBe(false);
  });

  it('verifies with one PEM key instead of a JWKS, refusing the other algorithm', async () => {
    const pem = new JoseExternalTokenVerifier({ publicKeyPem: ec.publicPem, issuer: idp.issuer, audience: 'pushline', tenantClaim: 'tid' });
    await expect(pem.verify(await idp.sign(ec, claims))).resolves.toMatchObject({ externalId: 'ext-user-1' });
    await expect(pem.verify(await idp.sign(rsa, claims))).rejects.toThrow(AuthenticationError);
  });
});
