import type { AccessClaims, SessionRevocationList } from '@pushline/domain';

/** Revokes the login session behind a token, so the token stops working everywhere at once. */
export class LogOut {
  constructor(private readonly revocations: SessionRevocationList) {}

  async execute(claims: AccessClaims): Promise<void> {
    await this.revocations.revoke(claims.sessionId, claims.expiresAt);
  }
}
