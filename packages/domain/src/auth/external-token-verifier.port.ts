/** What a verified token of the external issuer says, after the configured claims mapping. */
export interface ExternalIdentityClaims {
  /** Value of the user claim (`AUTH_USER_CLAIM`, default `sub`): the user's id at the issuer. */
  readonly externalId: string;
  /** Value of the tenant claim (`AUTH_TENANT_CLAIM`): a Pushline tenant id. */
  readonly tenantId: string;
  readonly email?: string;
  /** `jti` when the token has one: logout revokes that token. */
  readonly tokenId?: string;
  readonly expiresAt: Date;
}

/**
 * Verifies access tokens of an external identity provider (bring your own login). Only asymmetric
 * algorithms are accepted, so a token signed with an HMAC of the public key never passes.
 */
export interface ExternalTokenVerifier {
  /** Whether the token is meant for this verifier (an asymmetric `alg` in its header); cheap, no crypto. */
  accepts(token: string): boolean;
  /** Throws `AuthenticationError` for any bad token: signature, issuer, audience, expiry, algorithm, claims. */
  verify(token: string): Promise<ExternalIdentityClaims>;
}
