/** What a verified access token says about its bearer. */
export interface AccessClaims {
  readonly userId: string;
  readonly tenantId: string;
  readonly email: string;
  /** One per login; logout revokes it. */
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
}

export interface IssuedToken {
  readonly token: string;
  /** Lifetime in seconds. */
  readonly expiresIn: number;
  readonly expiresAt: Date;
}

/** Issues and verifies signed access tokens. `verify` throws `AuthenticationError` for any bad token. */
export interface TokenService {
  issue(subject: TokenSubject): IssuedToken;
  verify(token: string): AccessClaims;
}

/** Logged-out sessions; a token of a revoked session is refused until it would have expired anyway. */
export interface SessionRevocationList {
  revoke(sessionId: string, until: Date): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}
