/** What a verified access token says about its bearer. */
export interface AccessClaims {
  readonly userId: string;
  readonly email: string;
  /** The login session the token belongs to; logout revokes the session, not one token. */
  readonly sessionId: string;
  readonly expiresAt: Date;
}

export interface IssuedToken {
  readonly token: string;
  /** Lifetime in seconds. */
  readonly expiresIn: number;
  readonly expiresAt: Date;
}

export interface TokenSubject {
  readonly userId: string;
  readonly email: string;
  readonly sessionId: string;
  /** The token never outlives this (the session's absolute end). */
  readonly notAfter?: Date;
}

/**
 * Issues and verifies signed access tokens. `verify` throws `AuthenticationError` for any bad token,
 * including one without an expiry, an issue time or a session id.
 */
export interface TokenService {
  issue(subject: TokenSubject): IssuedToken;
  verify(token: string): AccessClaims;
}
