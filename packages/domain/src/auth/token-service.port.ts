/** What a verified access token says about its bearer. */
export interface AccessClaims {
  readonly userId: string;
  readonly tenantId: string;
  readonly email: string;
  /** The login session the token belongs to; logout revokes the session, not one token. */
  readonly sessionId: string;
  readonly expiresAt: Date;
  /** Set for tokens of the external issuer: they are refreshed there, not here. */
  readonly external?: true;
}

export interface TokenSubject {
  readonly userId: string;
  readonly tenantId: string;
  readonly email: string;
  readonly sessionId: string;
  /** The token never outlives this (the session's absolute end). */
  readonly notAfter?: Date;
}

export interface IssuedToken {
  readonly token: string;
  /** Lifetime in seconds. */
  readonly expiresIn: number;
  readonly expiresAt: Date;
}

/**
 * Issues and verifies signed access tokens. `verify` throws `AuthenticationError` for any bad token,
 * including one without an expiry, an issue time or a session id.
 */
export interface TokenService {
  issue(subject: TokenSubject): IssuedToken;
  verify(token: string): AccessClaims;
}
