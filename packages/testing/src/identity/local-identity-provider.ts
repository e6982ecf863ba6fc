import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly publicPem: string;
}

/**
 * A stand-in identity provider on loopback for tests: serves a JWKS at `/.well-known/jwks.json`
 * (port 0) and signs tokens. `rotate` swaps the served keys, as a real provider does.
 */
export class LocalIdentityProvider {
  readonly issuer = 'https://idp.example.test/';
  /** How many times the JWKS was fetched. */
  fetches = 0;
  private served: SigningKey[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LocalIdentityProvider> {
    let provider: LocalIdentityProvider | undefined;
    const server = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json' || !provider) {
        res.writeHead(404).end();
        return;
      }
      provider.fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: provider.served.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    provider = new LocalIdentityProvider(server);
    return provider;
  }

  get jwksUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  static async key(alg: 'RS256' | 'ES256', kid: string): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, publicPem: await exportSPKI(publicKey) };
  }

  /** Serves exactly these keys from now on. */
  rotate(...keys: SigningKey[]): void {
    this.served = keys;
  }

  /** A token signed by `key`; `claims` and `options` override the defaults (1 h lifetime, this issuer). */
  async sign(key: SigningKey, claims: Record<string, unknown>, options: { audience?: string; issuer?: string; expiresIn?: string | number } = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? 'pushline')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The RS/HS confusion attack: HS256 with the issuer's public key (PEM text) as the HMAC secret. */
export function hmacWithPublicKey(key: SigningKey, claims: Record<string, unknown>, issuer: string, audience = 'pushline'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: key.kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(key.publicPem));
}

/** `alg: none`: a header and payload without a signature, as an attacker would send. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
