import { createPublicKey } from 'node:crypto';
import { AuthenticationError, type ExternalIdentityClaims, type ExternalTokenVerifier } from '@pushline/domain';
import { createRemoteJWKSet, decodeProtectedHeader, errors, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose';

/** The only algorithms accepted. `none` and every HMAC (`HS*`) are refused before any key is looked at. */
export const EXTERNAL_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface JoseExternalTokenVerifierOptions {
  /** `AUTH_JWKS_URL`: the issuer's key set; keys are cached and refetched for an unknown `kid` (rotation). */
  readonly jwksUrl?: string;
  /** `AUTH_PUBLIC_KEY`: one PEM (SPKI) public key, RSA (RS256) or P-256 (ES256), instead of a JWKS. */
  readonly publicKeyPem?: string;
  readonly issuer: string;
  readonly audience: string;
  /** Claim naming the user at the issuer (default `sub`). */
  readonly userClaim?: string;
  /** Claim holding the Pushline tenant id. */
  readonly tenantClaim: string;
  readonly emailClaim?: string;
  /** Least time between two JWKS fetches for unknown key ids (jose's cooldown; default 30 s). */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are trusted before a refetch (default 10 min). */
  readonly jwksCacheMaxAgeMs?: number;
  readonly clockToleranceSeconds?: number;
}

/** External access tokens, verified with `jose` (key rotation and caching are jose's `createRemoteJWKSet`). */
export class JoseExternalTokenVerifier implements ExternalTokenVerifier {
  private readonly key: JWTVerifyGetKey | Promise<CryptoKey | KeyObject>;
  private readonly algorithms: string[];

  constructor(private readonly options: JoseExternalTokenVerifierOptions) {
    if (options.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
        timeoutDuration: 5000,
      });
      this.algorithms = [...EXTERNAL_ALGORITHMS];
    } else if (options.publicKeyPem) {
      // A PEM key fixes the algorithm: RSA keys verify RS256 only, P-256 keys ES256 only.
      const alg = createPublicKey(options.publicKeyPem).asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
      this.key = importSPKI(options.publicKeyPem, alg);
      this.algorithms = [alg];
    } else {
      throw new Error('an external issuer needs AUTH_JWKS_URL or AUTH_PUBLIC_KEY');
    }
  }

  accepts(token: string): boolean {
    try {
      const { alg } = decodeProtectedHeader(token);
      // Anything not HS256 (ours) goes here, so `none` and RS/ES tokens are judged (and refused) by jwtVerify.
      return alg !== 'HS256';
    } catch {
      return false;
    }
  }

  async verify(token: string): Promise<ExternalIdentityClaims> {
    let payload: JWTPayload;
    try {
      const key = this.key instanceof Promise ? await this.key : this.key;
      ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1] & JWTVerifyGetKey, {
        algorithms: this.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['exp'],
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
      }));
    } catch (error) {
      throw new AuthenticationError(error instanceof errors.JWTExpired ? 'the access token has expired' : 'the access token is not valid');
    }
    const externalId = payload[this.options.userClaim ?? 'sub'];
    const tenantId = payload[this.options.tenantClaim];
    if (typeof externalId !== 'string' || externalId.length === 0 || externalId.length > 255) throw new AuthenticationError('the access token names no user');
    if (typeof tenantId !== 'string' || tenantId.length === 0 || tenantId.length > 64) throw new AuthenticationError('the access token names no tenant');
    const email = payload[this.options.emailClaim ?? 'email'];
    return {
      externalId,
      tenantId,
      ...(typeof email === 'string' && { email }),
      ...(typeof payload.jti === 'string' && { tokenId: payload.jti }),
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }
}
