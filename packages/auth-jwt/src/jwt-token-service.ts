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
  sub: string;
  email: string;
  sid: string;
  /** Tenant of the user (private claim). */
  tid: string;
  exp: number;
}

export class JwtTokenService implements TokenService {
  private readonly issuer: string;
  private readonly audience: string;

  constructor(
    private readonly options: JwtTokenServiceOptions,
    private readonly clock: Clock,
  ) {
    if (options.secret.length < 32) throw new Error('JWT secret must be at least 32 characters');
    this.issuer = options.issuer ?? 'pushline';
    this.audience = options.audience ?? 'pushline-api';
  }

  issue(subject: TokenSubject): IssuedToken {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const exp = issuedAt + this.options.ttlSeconds;
    const token = jwt.sign({ email: subject.email, sid: subject.sessionId, tid: subject.tenantId, iat: issuedAt, exp }, this.options.secret, {
      algorithm: ALGORITHM,
      subject: subject.userId,
      issuer: this.issuer,
      audience: this.audience,
    });
    return { token, expiresIn: this.options.ttlSeconds, expiresAt: new Date(exp * 1000) };
  }

  verify(token: string): AccessClaims {
    let payload: PushlineJwtPayload;
    try {
      payload = jwt.verify(token, this.options.secret, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      }) as PushlineJwtPayload;
    } catch (error) {
      const expired = error instanceof jwt.TokenExpiredError;
      throw new AuthenticationError(expired ? 'the access token has expired' : 'the access token is not valid');
    }
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.email !== 'string' || typeof payload.tid !== 'string') {
      throw new AuthenticationError('the access token is not valid');
    }
    return { userId: payload.sub, tenantId: payload.tid, email: payload.email, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000) };
  }
}
