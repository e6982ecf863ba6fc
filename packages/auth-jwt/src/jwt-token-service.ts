import { createSecretKey, type KeyObject } from 'node:crypto';
import { AuthenticationError, type AccessClaims, type Clock, type IssuedToken, type TokenService, type TokenSubject } from '@pushline/domain';
import jwt from 'jsonwebtoken';

export interface JwtTokenServiceOptions {
  /** HMAC secret, at least 32 characters. */
  readonly secret: string;
  /** Lifetime of an access token, in seconds. */
  readonly ttlSeconds: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/** The only algorithm accepted; pinning it stops `alg: none` and key-confusion attacks. */
const ALGORITHM = 'HS256';

interface PushlineJwtPayload {
  sub?: unknown;
  email?: unknown;
  sid?: unknown;
  /** Tenant of the user (private claim). */
  tid?: unknown;
  exp?: unknown;
  iat?: unknown;
}

export class JwtTokenService implements TokenService {
  private readonly issuer: string;
  private readonly audience: string;
  /**
   * Made once: given a string, jsonwebtoken first tries (and fails) to read it as a public key on
   * every verify, about 430 µs each; a KeyObject takes about 9 µs.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly options: JwtTokenServiceOptions,
    private readonly clock: Clock,
  ) {
    if (options.secret.length < 32) throw new Error('JWT secret must be at least 32 characters');
    this.key = createSecretKey(Buffer.from(options.secret, 'utf8'));
    this.issuer = options.issuer ?? 'pushline';
    this.audience = options.audience ?? 'pushline-api';
  }

  issue(subject: TokenSubject): IssuedToken {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const latest = subject.notAfter ? Math.floor(subject.notAfter.getTime() / 1000) : Infinity;
    const exp = Math.min(issuedAt + this.options.ttlSeconds, latest);
    const token = jwt.sign({ email: subject.email, sid: subject.sessionId, tid: subject.tenantId, iat: issuedAt, exp }, this.key, {
      algorithm: ALGORITHM,
      subject: subject.userId,
      issuer: this.issuer,
      audience: this.audience,
    });
    return { token, expiresIn: exp - issuedAt, expiresAt: new Date(exp * 1000) };
  }

  verify(token: string): AccessClaims {
    let payload: PushlineJwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      }) as PushlineJwtPayload;
    } catch (error) {
      const expired = error instanceof jwt.TokenExpiredError;
      throw new AuthenticationError(expired ? 'the access token has expired' : 'the access token is not valid');
    }
    // jsonwebtoken checks `exp` only when present: a token without one would never expire.
    const { sub, email, sid, tid, exp, iat } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof email !== 'string' || typeof tid !== 'string' || !isTime(exp) || !isTime(iat)) {
      throw new AuthenticationError('the access token is not valid');
    }
    return { userId: sub, tenantId: tid, email, sessionId: sid, expiresAt: new Date(exp * 1000) };
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
